// The shell's side of an import on a thread of its own (import-thread.ts): it starts the thread,
// hands on its progress, carries a cancel to it, and while the thread's transaction holds the
// store's write lock, this process's other writes wait for it rather than give up (longWrite).
// A thread that stops without answering is asked after on a connection of the shell's own: if the
// import's source row is there, its transaction committed, and the report stored with it is the answer.
// The thread is never terminated: one ended inside sharp can take the process with it (sharp's
// issue 2263); it ends by itself once it has answered and its images in flight are decoded.
import type { Database } from 'better-sqlite3'
import { reportToSend, type ImportReport } from '#shared/imports'
import { ImportInputError, type ImportProgressUpdate } from '#main/datasets/run-import'
import { SourcesRepo } from '#main/db/sources-repo'
import { longWrite } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import { threadAnswer, type WriteThreadConnection } from '../write-thread/on-write-thread'
import type { FromImportThread, ImportThreadData, ToImportThread } from './protocol'

const ENTRY = 'app/import-thread/import-thread.ts'

export const IMPORT_THREAD_STOPPED = "the import's thread stopped before it finished; nothing of the import was stored"

export interface ImportOnThread {
  request: ImportThreadData['request']
  /** The granted roots the thread may read images from (GrantedRoots.given). */
  roots: ImportThreadData['roots']
  signal: AbortSignal
  onProgress(update: ImportProgressUpdate): void
}

/** Runs a whole import on a new thread: its report as the window gets it (reportToSend), or the import's error. `start` starts the thread (tests: to stop it midway). */
export async function importOnThread(connection: WriteThreadConnection, job: ImportOnThread, start = startThread): Promise<ImportReport> {
  job.signal.throwIfAborted()
  const stop = new SharedArrayBuffer(4)
  const data: ImportThreadData = { ...connection, roots: job.roots, request: job.request, stop }
  const worker = start(ENTRY, data)
  const onAbort = (): void => {
    Atomics.store(new Int32Array(stop), 0, 1)
    worker.postMessage({ kind: 'cancel' } satisfies ToImportThread)
  }
  job.signal.addEventListener('abort', onAbort, { once: true })
  // Settled when the thread's transaction has ended (its answer, or its end): the lock is free again.
  let writeEnded: (() => void) | undefined
  let sourceId: number | undefined
  try {
    return await threadAnswer<ImportReport, FromImportThread>(worker, connection, {
      onMessage(message, settle) {
        if (message.kind === 'progress') job.onProgress(message)
        else if (message.kind === 'writing') void longWrite(connection.dbPath, new Promise<void>((ended) => (writeEnded = ended)))
        else if (message.kind === 'began') sourceId = message.sourceId
        else if (message.kind === 'done') settle.resolve(message.report)
        else settle.reject(message.inputError ? new ImportInputError(message.error) : new Error(message.error))
      },
      landed: (db) => storedReport(db, job.request.projectId, sourceId),
      nothingStored: IMPORT_THREAD_STOPPED,
    })
  } finally {
    writeEnded?.()
    job.signal.removeEventListener('abort', onAbort)
  }
}

/** The report stored with the import's source row; undefined when that row is not there (its transaction never committed). */
function storedReport(db: Database, projectId: number, sourceId: number | undefined): ImportReport | undefined {
  if (sourceId === undefined) return undefined
  const report = new SourcesRepo(db).report(projectId, sourceId) as ImportReport | undefined
  return report && reportToSend(report)
}
