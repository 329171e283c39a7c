// A long write on a thread of its own (started by on-write-thread.ts), so the shell's event loop
// keeps answering meanwhile: an import's one transaction (100,000 posts, ~10 s), or a project's or
// a run's deletion (a 100,000-post project's cascade through its posts, labels and feature vectors
// took 6.4 s; a run's 100,000 pseudo-labels 0.45 s). Its own connection; an import's posts received
// in batches, its progress every IMPORT_WRITE_STEP posts, and a cancel read from shared memory
// between steps (the thread is busy in the transaction and reads no message meanwhile).
import { parentPort, workerData } from 'node:worker_threads'
import type { Database } from 'better-sqlite3'
import { openDatabase } from '#main/db/store'
import { BACKGROUND_BUSY_TIMEOUT_MS } from '#main/db/write-lock'
import { ImportWriteStopped, writeWhole, type ValidatedPost } from '#main/db/import-writer'
import { PostsRepo } from '#main/db/posts-repo'
import { ProjectsRepo } from '#main/db/projects-repo'
import { RunsRepo } from '#main/db/runs-repo'
import { SourcesRepo } from '#main/db/sources-repo'
import type { FromWriteThread, ToWriteThread, WriteThreadResult } from './protocol'

const port = parentPort
if (!port) throw new Error('write-thread.ts runs as a worker thread (see on-write-thread.ts)')
const { dbPath, nativeBinding, stop } = (workerData as { data: { dbPath: string; nativeBinding?: string; stop: SharedArrayBuffer } }).data
const stopped = new Int32Array(stop)

const send = (message: FromWriteThread): void => port.postMessage(message)
const posts: ValidatedPost[] = []

function write(db: Database, message: Exclude<ToWriteThread, { kind: 'posts' }>): WriteThreadResult {
  if (message.kind === 'delete') {
    // One statement: the schema's cascades take the rest with it, all or nothing.
    const deleted = message.what === 'project' ? new ProjectsRepo(db).delete(message.id) : new RunsRepo(db).delete(message.id)
    return { kind: 'deleted', deleted }
  }
  const store = { db, sources: new SourcesRepo(db), posts: new PostsRepo(db) }
  const written = writeWhole(store, { ...message.write, posts }, {
    began: (sourceId) => send({ kind: 'began', sourceId }),
    progress: (done) => send({ kind: 'progress', done }),
    stopped: () => Atomics.load(stopped, 0) === 1,
  })
  return { kind: 'imported', written }
}

port.on('message', (message: ToWriteThread) => {
  if (message.kind === 'posts') {
    for (const post of message.posts) posts.push(post)
    return
  }
  try {
    // It waits for another writer as the worker processes do: a project deleted while an import into it is written waits for the import.
    const db = openDatabase(dbPath, { nativeBinding, busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS })
    try {
      send({ kind: 'done', result: write(db, message) })
    } finally {
      db.close()
    }
  } catch (err) {
    send({ kind: 'failed', error: err instanceof Error ? err.message : String(err), stopped: err instanceof ImportWriteStopped })
  }
  port.close()
})
