// The UI's one API client (src/renderer/src/api/client.ts) speaking to a test's back end in-process
// instead of over IPC or HTTP, for tests of the UI's stores (tests/unit/stores):
//   vi.mock('#renderer/api/client', () => import('../support/in-process-api'))
// then `wire.backend = testBackend()` before a store is made.
import type { Backend } from '#main/app/backend'
import type { EventName, Method, Req } from '#shared/contract'

export const wire: { backend: Backend | null } = { backend: null }

const backend = (): Backend => {
  if (!wire.backend) throw new Error('in-process API: set wire.backend before making a store')
  return wire.backend
}

export const api = {
  call: (method: Method, payload: Req<Method>) => backend().call(method, payload),
  on: (name: EventName, listener: (payload: unknown) => void) =>
    backend().events.subscribe((event, payload) => {
      if (event === name) listener(payload)
    }),
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err))
export const mediaUrl = (path: string): string => path
