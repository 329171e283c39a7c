// Threads (startThread) that stop where a test wants them to: the long-write thread's and the
// import thread's tests stop them midway, or lose their answer after their commit.
import { startThread } from '#main/workers/thread'

/** A thread ended (terminated) at the first message of its own that `when` picks. */
export const stoppedAt =
  (when: (message: { kind: string } & Record<string, unknown>) => boolean): typeof startThread =>
  (entry, data) => {
    const thread = startThread(entry, data)
    thread.on('message', (message: { kind: string } & Record<string, unknown>) => when(message) && void thread.terminate())
    return thread
  }

/**
 * The thread as the shell sees it when it dies between its COMMIT and its answer: everything it
 * sends reaches the shell but the answer ('done'), and the thread is ended in its place; with
 * `crash`, as a throw it did not catch (an 'error' event before its end).
 */
export const answerLostBy =
  (crash?: Error): typeof startThread =>
  (entry, data) => {
    const thread = startThread(entry, data)
    const onError: Array<(err: Error) => void> = []
    const seen = {
      on(event: string, listener: (...args: unknown[]) => void) {
        if (event === 'error') onError.push(listener as (err: Error) => void)
        if (event !== 'message') thread.on(event, listener)
        else
          thread.on('message', (message: { kind: string }) => {
            if (message.kind !== 'done') return (listener as (m: unknown) => void)(message)
            if (crash) for (const report of onError) report(crash)
            void thread.terminate()
          })
        return seen
      },
      postMessage: (message: unknown) => thread.postMessage(message),
      terminate: () => thread.terminate(),
    }
    return seen as unknown as ReturnType<typeof startThread>
  }

export const answerLost = answerLostBy()
