// The one API client of the UI. It speaks the contract through the Electron preload when there
// is one, over the network otherwise; views and stores never learn which.
import {
  MEDIA_ROUTE,
  MEDIA_SCHEME,
  type Bridge,
  type EventName,
  type Events,
  type Method,
  type Req,
  type Res,
} from '#shared/contract'
import { ApiError } from './api-error'
import { createHttpBridge } from './http-bridge'

export { ApiError }

/** The message to show a person for any failure, an ApiError's being the back end's own words. */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err))

const preload = window.commonGround
const bridge: Bridge = preload ?? createHttpBridge(window.location)

export const api = {
  async call<M extends Method>(method: M, payload: Req<M>): Promise<Res<M>> {
    const reply = await bridge.invoke(method, payload)
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message)
    return reply.result
  },

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    return bridge.on(event, listener)
  },
}

/** URL of a media path (see media-path.ts): the custom protocol in Electron, a same-origin route in a browser. */
export const mediaUrl = (mediaPath: string): string =>
  preload ? `${MEDIA_SCHEME}://media/${mediaPath}` : `${MEDIA_ROUTE}${mediaPath}`
