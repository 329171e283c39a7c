// Messages between the shell and an import's writing thread (both ends are this project's code in one process).
import type { ImportWrite, WrittenImport } from '#main/db/import-writer'

/** The posts go over in batches (each a short structured clone on the shell's loop), then the rest of the write. */
export type ToWriteThread = { kind: 'posts'; posts: ImportWrite['posts'] } | { kind: 'write'; write: Omit<ImportWrite, 'posts'> }

export type FromWriteThread = { kind: 'progress'; done: number } | { kind: 'done'; written: WrittenImport } | { kind: 'failed'; error: string; stopped: boolean }
