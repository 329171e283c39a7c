// The contract's Bridge over the network (browser mode): requests as `POST /api/<method>`,
// events from the `/events` WebSocket. Same shape as the Electron preload, so the client above
// it cannot tell the two apart.
import { API_ROUTE, type Bridge, type Method, type Reply, type Req } from '#shared/contract'
import { EventSocket, eventsUrl } from './event-socket'

async function post<M extends Method>(method: M, payload: Req<M>): Promise<Reply<M>> {
  let response: Response
  try {
    response = await fetch(`${API_ROUTE}${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload ?? null),
    })
  } catch (err) {
    return failure(`Cannot reach the Common Ground server (${(err as Error).message})`)
  }
  try {
    // Error statuses still carry the envelope; anything else is a proxy or server fault.
    return (await response.json()) as Reply<M>
  } catch {
    return failure(`The server answered ${response.status} ${response.statusText} without a result`)
  }
}

const failure = <M extends Method>(message: string): Reply<M> => ({ ok: false, error: { code: 'internal', message } })

export function createHttpBridge(location: Location): Bridge {
  const events = new EventSocket(eventsUrl(location))
  return {
    invoke: post,
    on: (event, listener) => events.on(event, listener),
  }
}
