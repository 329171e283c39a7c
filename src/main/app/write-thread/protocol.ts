// Messages between the shell and a long write's thread (both ends are this project's code in one process).
import type { ImportWrite, WrittenImport } from '#main/db/import-writer'

/** What can be deleted whole on the thread: a project (its posts, labels, features, runs) or a run (its pseudo-labels, review). */
export type Deletion = { what: 'project' | 'run'; id: number }

/**
 * An import's posts go over in batches (each a short structured clone on the shell's loop), then
 * the rest of the import; a deletion is one message.
 */
export type ToWriteThread =
  | { kind: 'posts'; posts: ImportWrite['posts'] }
  | { kind: 'import'; write: Omit<ImportWrite, 'posts'> }
  | ({ kind: 'delete' } & Deletion)

/** The write's outcome: an import's counts, or whether the deleted row was there. */
export type WriteThreadResult = { kind: 'imported'; written: WrittenImport } | { kind: 'deleted'; deleted: boolean }

/** `began`: an import's source row, sent from inside its transaction, so that the shell can tell whether it landed should the thread die before its answer. */
export type FromWriteThread =
  | { kind: 'began'; sourceId: number }
  | { kind: 'progress'; done: number }
  | { kind: 'done'; result: WriteThreadResult }
  | { kind: 'failed'; error: string; stopped: boolean }
