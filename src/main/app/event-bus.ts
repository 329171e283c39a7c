import type { EventName, Events } from '#shared/contract'

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void

/** Fan-out of back-end events to every connected window or socket. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload)
      } catch {
        // A broken subscriber (closed socket, destroyed window) must not stop the others.
      }
    }
  }
}
