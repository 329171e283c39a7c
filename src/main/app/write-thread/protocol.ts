// Messages between the shell and a long write's thread (both ends are this project's code in one process).

/** What can be deleted whole on the thread: a project (its posts, labels, features, runs) or a run (its pseudo-labels, review). */
export type Deletion = { what: 'project' | 'run'; id: number }

/** A deletion is one message. (An import runs whole on a thread of its own: app/import-thread.) */
export type ToWriteThread = { kind: 'delete' } & Deletion

/** `done`: whether the deleted row was there. */
export type FromWriteThread = { kind: 'done'; deleted: boolean } | { kind: 'failed'; error: string }
