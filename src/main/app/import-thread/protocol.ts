// Messages between the shell and an import's thread (both ends are this project's code in one process).
import type { ImportFormat, ImportPhase, ImportReport } from '#shared/imports'

/** What the thread is started with (workerData): its connection, the folders it may read, the import, and the cancel flag. */
export interface ImportThreadData {
  dbPath: string
  nativeBinding?: string
  /** The granted roots (GrantedRoots' own list; null: no limit). */
  roots: readonly string[] | null
  request: { projectId: number; path: string; format?: ImportFormat }
  /** Set to 1 by the shell to cancel: read between the write's steps, when the thread is busy in its transaction and reads no message. */
  stop: SharedArrayBuffer
}

/** A cancel while the thread reads and checks (it reads messages then); during the write, `stop` carries it. */
export type ToImportThread = { kind: 'cancel' }

/**
 * `writing`: its transaction begins (the store's write lock is the thread's until `done` or
 * `failed`); `began`: the import's source row, sent from inside that transaction, so that the
 * shell can tell whether it landed should the thread die before its answer. `done` carries the
 * report as the window gets it (reportToSend): a clone of 100,000 problems would hold the shell's loop.
 */
export type FromImportThread =
  | { kind: 'progress'; phase: ImportPhase; done: number; total: number }
  | { kind: 'writing' }
  | { kind: 'began'; sourceId: number }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; error: string; inputError: boolean }
