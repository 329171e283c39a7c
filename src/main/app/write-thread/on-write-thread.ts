// A long write on a thread of its own (write-thread.ts), with its own connection: the shell's event
// loop keeps answering while it runs. Its progress comes back as it writes; a cancel reaches it
// through shared memory; the thread dying midway rolls its transaction back and says so. Meanwhile
// this process's other writes wait for it rather than give up (longWrite in db/write-lock.ts).
import { ImportWriteStopped } from '#main/db/import-writer'
import { longWrite } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import type { FromWriteThread, ToWriteThread, WriteThreadResult } from './protocol'

const ENTRY = 'app/write-thread/write-thread.ts'

export interface WriteThreadConnection {
  dbPath: string
  nativeBinding?: string
}

export interface OnWriteThread {
  /** Sends the write's messages; resolves once it has sent them all (an import's posts go in batches). */
  send(post: (message: ToWriteThread) => void): Promise<void>
  progress?(done: number): void
  /** Aborted: the write stops at its next step and rolls back (ImportWriteStopped). */
  signal?: AbortSignal
}

/** Runs one write on a new thread; `start` starts it (tests: to stop it midway). */
export function onWriteThread(connection: WriteThreadConnection, write: OnWriteThread, start = startThread): Promise<WriteThreadResult> {
  return longWrite(connection.dbPath, run(connection, write, start))
}

async function run(connection: WriteThreadConnection, write: OnWriteThread, start: typeof startThread): Promise<WriteThreadResult> {
  write.signal?.throwIfAborted()
  const stop = new SharedArrayBuffer(4)
  const worker = start(ENTRY, { ...connection, stop })
  const onAbort = (): void => {
    Atomics.store(new Int32Array(stop), 0, 1)
  }
  write.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const ended = new Promise<WriteThreadResult>((resolve, reject) => {
      worker.on('message', (message: FromWriteThread) => {
        if (message.kind === 'progress') write.progress?.(message.done)
        else if (message.kind === 'done') resolve(message.result)
        else reject(message.stopped ? new ImportWriteStopped() : new Error(message.error))
      })
      worker.on('error', reject)
      worker.on('exit', () => reject(new Error('the thread writing to the store stopped before it finished; nothing of its write was stored')))
    })
    // A rejection before the last message is sent is awaited below, not left unhandled.
    ended.catch(() => undefined)
    await write.send((message) => worker.postMessage(message))
    return await ended
  } finally {
    write.signal?.removeEventListener('abort', onAbort)
    await worker.terminate()
  }
}
