// A worker's line to whoever started it: Electron's utilityProcess gives `process.parentPort`,
// a forked Node child has `process.send`. Worker code (features, trainer) sees only this channel.

export interface ParentChannel<In, Out> {
  send(message: Out): void
  onMessage(listener: (message: In) => void): void
  /** Sends the last message, then lets go of the parent so the process can end. */
  finish(message: Out): void
}

/** The part of Electron's `process.parentPort` used here (the worker never imports 'electron'). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
  removeAllListeners(event: 'message'): void
}

export function parentChannel<In, Out>(): ParentChannel<In, Out> {
  const port = (process as { parentPort?: ParentPort }).parentPort
  if (port) {
    return {
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (event) => listener(event.data as In)),
      finish: (message) => {
        port.postMessage(message)
        port.removeAllListeners('message')
      },
    }
  }
  if (!process.send) throw new Error('this worker must be started by the app (no IPC channel to a parent)')
  // The parent is gone (closed, crashed): nobody is left to report to. Ending here is safe, as
  // a worker only ever leaves whole transactions behind.
  process.once('disconnect', () => process.exit(0))
  return {
    send: (message) => process.send!(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as In)),
    // Disconnect only once the message is out: a channel closed with it queued would drop it.
    finish: (message) => process.send!(message, () => process.disconnect()),
  }
}
