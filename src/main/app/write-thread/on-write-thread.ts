// A long write on a thread of its own (write-thread.ts), with its own connection: the shell's event
// loop keeps answering while it runs. Its progress comes back as it writes; a cancel reaches it
// through shared memory; the thread dying midway rolls its transaction back and says so. A thread
// that dies without answering is asked after on a connection of the shell's own: its write may have
// committed before it died, and the caller hears what the store holds, not a guess. Meanwhile this
// process's other writes wait for it rather than give up (longWrite in db/write-lock.ts).
import type { Database } from 'better-sqlite3'
import { ImportWriteStopped } from '#main/db/import-writer'
import { openDatabase } from '#main/db/store'
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
  /** An import's source row, heard from inside its transaction. */
  began?(sourceId: number): void
  /** Read when the thread stopped without answering: the write's result if the store holds it, else undefined (nothing of it landed). */
  landed(db: Database): WriteThreadResult | undefined
}

export const NOTHING_STORED = 'the thread writing to the store stopped before it finished; nothing of its write was stored'

/** What the store says of a write whose thread stopped without answering, on a connection opened for the question. */
function askAfter(connection: WriteThreadConnection, write: OnWriteThread, crash: Error | undefined): WriteThreadResult {
  let db: Database | undefined
  let result: WriteThreadResult | undefined
  try {
    db = openDatabase(connection.dbPath, { nativeBinding: connection.nativeBinding, readonly: true })
    result = write.landed(db)
  } catch (err) {
    throw new Error(`the thread writing to the store stopped before it answered, and whether its write was stored could not be read: ${(err as Error).message}`, { cause: err })
  } finally {
    db?.close()
  }
  if (result === undefined) throw crash ?? new Error(NOTHING_STORED)
  return result
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
    let answered = false
    const ended = new Promise<WriteThreadResult>((resolve, reject) => {
      const answer = (settle: () => void): void => {
        answered = true
        settle()
      }
      worker.on('message', (message: FromWriteThread) => {
        if (message.kind === 'began') write.began?.(message.sourceId)
        else if (message.kind === 'progress') write.progress?.(message.done)
        else if (message.kind === 'done') answer(() => resolve(message.result))
        else answer(() => reject(message.stopped ? new ImportWriteStopped() : new Error(message.error)))
      })
      // A throw the thread did not catch: it ends, and 'exit' follows. Its write may have committed before it.
      let crash: Error | undefined
      worker.on('error', (err) => (crash ??= err))
      // Node hands over every message the thread sent before it emits 'exit'.
      worker.on('exit', () => {
        if (answered) return
        answer(() => {
          try {
            resolve(askAfter(connection, write, crash))
          } catch (err) {
            reject(err)
          }
        })
      })
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
