// The app's ImportWriter: the import's one transaction runs on a thread with its own connection
// (import-write-thread.ts), where on the shell's connection 100,000 posts held its event loop ~8 s
// (docs/RESULTS.md). The posts go over in batches with a turn of the loop between them; the
// thread's progress comes back as it writes; a cancel reaches it through shared memory. Meanwhile
// this process's other writes wait for the import's transaction rather than give up (longWrite).
import { nextTurn } from '#main/db/chunked-insert'
import { ImportWriteStopped, type ImportWriter } from '#main/db/import-writer'
import { longWrite } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import type { FromWriteThread, ToWriteThread } from './protocol'

const ENTRY = 'app/import-write/import-write-thread.ts'

/** Posts per message: a structured clone of a few milliseconds on the shell's loop. */
const POSTS_PER_MESSAGE = 2_000

/** `start` starts the thread (tests: to stop it midway). */
export function threadImportWriter(connection: { dbPath: string; nativeBinding?: string }, start = startThread): ImportWriter {
  const writeOnThread: ImportWriter = async (write, options) => {
    options.signal?.throwIfAborted()
    const stop = new SharedArrayBuffer(4)
    const worker = start(ENTRY, { ...connection, stop })
    const send = (message: ToWriteThread): void => worker.postMessage(message)
    const onAbort = (): void => {
      Atomics.store(new Int32Array(stop), 0, 1)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const ended = new Promise<FromWriteThread & { kind: 'done' }>((resolve, reject) => {
        worker.on('message', (message: FromWriteThread) => {
          if (message.kind === 'progress') options.progress?.(message.done)
          else if (message.kind === 'done') resolve(message)
          else reject(message.stopped ? new ImportWriteStopped() : new Error(message.error))
        })
        worker.on('error', reject)
        worker.on('exit', () => reject(new Error('the import\'s writing thread stopped before it finished; nothing of the import was stored')))
      })
      // A rejection before the last batch is sent is awaited below, not left unhandled.
      ended.catch(() => undefined)
      const { posts, ...rest } = write
      for (let at = 0; at < posts.length; at += POSTS_PER_MESSAGE) {
        send({ kind: 'posts', posts: posts.slice(at, at + POSTS_PER_MESSAGE) })
        await nextTurn()
      }
      options.signal?.throwIfAborted()
      send({ kind: 'write', write: rest })
      return (await ended).written
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
      await worker.terminate()
    }
  }
  return (write, options) => longWrite(connection.dbPath, writeOnThread(write, options))
}
