// A long write on a thread of its own (write-thread.ts), with its own connection: the shell's event
// loop keeps answering while it runs. The thread dying midway rolls its transaction back and says
// so. A thread that dies without answering is asked after on a connection of the shell's own: its
// write may have committed before it died, and the caller hears what the store holds, not a guess.
// Meanwhile this process's other writes wait for it rather than give up (longWrite in db/write-lock.ts).
import type { Worker } from 'node:worker_threads'
import type { Database } from 'better-sqlite3'
import { openDatabase } from '#main/db/store'
import { longWrite } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import type { FromWriteThread, ToWriteThread } from './protocol'

const ENTRY = 'app/write-thread/write-thread.ts'

export interface WriteThreadConnection {
  dbPath: string
  nativeBinding?: string
}

export interface OnWriteThread {
  message: ToWriteThread
  /** Read when the thread stopped without answering: true if the store shows the deletion done, else undefined (nothing of it landed). */
  landed(db: Database): true | undefined
}

export const NOTHING_STORED = 'the thread writing to the store stopped before it finished; nothing of its write was stored'

/**
 * What the store says of a write whose thread stopped without answering, on a connection opened for
 * the question: `read`'s answer, else (nothing of the write landed) the thread's own error or
 * `nothingStored`. The import's thread (app/import-thread) is asked after the same way.
 */
export function askAfter<T>(connection: WriteThreadConnection, read: (db: Database) => T | undefined, crash: Error | undefined, nothingStored: string): T {
  let db: Database | undefined
  let result: T | undefined
  try {
    db = openDatabase(connection.dbPath, { nativeBinding: connection.nativeBinding, readonly: true })
    result = read(db)
  } catch (err) {
    throw new Error(`the thread writing to the store stopped before it answered, and whether its write was stored could not be read: ${(err as Error).message}`, { cause: err })
  } finally {
    db?.close()
  }
  if (result === undefined) throw crash ?? new Error(nothingStored)
  return result
}

/** Runs one deletion on a new thread: whether the deleted row was there. `start` starts it (tests: to stop it midway). */
export function onWriteThread(connection: WriteThreadConnection, write: OnWriteThread, start = startThread): Promise<boolean> {
  return longWrite(connection.dbPath, run(connection, write, start))
}

/** How the thread's answer is settled from its messages: once; later calls do nothing. */
export interface Settle<T> {
  resolve(value: T): void
  reject(err: unknown): void
}

/**
 * The answer of a thread that runs one write: `onMessage` settles it from the thread's messages; a
 * thread that ends without answering (killed, or a throw it did not catch) is asked after on a
 * connection of the shell's own (askAfter), since its write may have committed before its end.
 */
export function threadAnswer<T, M>(
  worker: Worker,
  connection: WriteThreadConnection,
  ask: { onMessage(message: M, settle: Settle<T>): void; landed(db: Database): T | undefined; nothingStored: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answered = false
    const settle: Settle<T> = {
      resolve: (value) => void (answered || ((answered = true), resolve(value))),
      reject: (err) => void (answered || ((answered = true), reject(err))),
    }
    worker.on('message', (message: M) => ask.onMessage(message, settle))
    // A throw the thread did not catch: it ends, and 'exit' follows. Its write may have committed before it.
    let crash: Error | undefined
    worker.on('error', (err) => (crash ??= err))
    // Node hands over every message the thread sent before it emits 'exit'.
    worker.on('exit', () => {
      if (answered) return
      try {
        settle.resolve(askAfter(connection, ask.landed, crash, ask.nothingStored))
      } catch (err) {
        settle.reject(err)
      }
    })
  })
}

async function run(connection: WriteThreadConnection, write: OnWriteThread, start: typeof startThread): Promise<boolean> {
  const worker = start(ENTRY, connection)
  try {
    const answer = threadAnswer<boolean, FromWriteThread>(worker, connection, {
      onMessage: (message, settle) => (message.kind === 'done' ? settle.resolve(message.deleted) : settle.reject(new Error(message.error))),
      landed: (db) => write.landed(db),
      nothingStored: NOTHING_STORED,
    })
    worker.postMessage(write.message)
    return await answer
  } finally {
    await worker.terminate()
  }
}
