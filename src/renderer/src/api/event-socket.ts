// Back-end events over one WebSocket (browser mode). Listeners belong to this object, not to a
// connection, so after a dropped socket reconnects they keep receiving without re-subscribing.
import { EVENTS_ROUTE, isEvent, type EventName, type Events } from '#shared/contract'

type AnyListener = (payload: unknown) => void

const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 15_000

export class EventSocket {
  private readonly listeners = new Map<EventName, Set<AnyListener>>()
  private socket: WebSocket | null = null
  private retryMs = FIRST_RETRY_MS

  constructor(private readonly url: string) {}

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as AnyListener)
    this.connect()
    return () => set.delete(listener as AnyListener)
  }

  private connect(): void {
    if (this.socket) return
    const socket = new WebSocket(this.url)
    this.socket = socket
    socket.onopen = () => {
      this.retryMs = FIRST_RETRY_MS
    }
    socket.onmessage = (message) => this.deliver(message.data)
    socket.onclose = () => {
      this.socket = null
      // Jitter keeps several tabs from hammering a restarting server in lockstep.
      const delay = this.retryMs * (0.75 + Math.random() * 0.5)
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS)
      setTimeout(() => this.connect(), delay)
    }
  }

  private deliver(data: unknown): void {
    if (typeof data !== 'string') return
    let frame: { event?: unknown; payload?: unknown }
    try {
      frame = JSON.parse(data) as typeof frame
    } catch {
      return
    }
    if (!isEvent(frame.event)) return
    for (const listener of this.listeners.get(frame.event) ?? []) {
      try {
        listener(frame.payload)
      } catch (err) {
        console.error(`Listener for ${frame.event} failed`, err)
      }
    }
  }
}

/** The `/events` endpoint on the page's own origin, ws or wss to match the page. */
export const eventsUrl = (location: Location): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${EVENTS_ROUTE}`
