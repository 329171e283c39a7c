// An import's one transaction on a thread of its own (started by thread-import-writer.ts), so the
// shell's event loop keeps answering while 100,000 posts are written (~8 s): its own connection, the
// posts received in batches, progress every IMPORT_WRITE_STEP posts, and a cancel read from shared
// memory between steps (the thread is busy in the transaction and reads no message meanwhile).
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#main/db/store'
import { ImportWriteStopped, writeWhole, type ValidatedPost } from '#main/db/import-writer'
import { PostsRepo } from '#main/db/posts-repo'
import { SourcesRepo } from '#main/db/sources-repo'
import type { FromWriteThread, ToWriteThread } from './protocol'

const port = parentPort
if (!port) throw new Error('import-write-thread.ts runs as a worker thread (see thread-import-writer.ts)')
const { dbPath, nativeBinding, stop } = (workerData as { data: { dbPath: string; nativeBinding?: string; stop: SharedArrayBuffer } }).data
const stopped = new Int32Array(stop)

const send = (message: FromWriteThread): void => port.postMessage(message)
const posts: ValidatedPost[] = []

port.on('message', (message: ToWriteThread) => {
  if (message.kind === 'posts') {
    for (const post of message.posts) posts.push(post)
    return
  }
  try {
    const db = openDatabase(dbPath, { nativeBinding })
    try {
      const store = { db, sources: new SourcesRepo(db), posts: new PostsRepo(db) }
      const written = writeWhole(store, { ...message.write, posts }, {
        progress: (done) => send({ kind: 'progress', done }),
        stopped: () => Atomics.load(stopped, 0) === 1,
      })
      send({ kind: 'done', written })
    } finally {
      db.close()
    }
  } catch (err) {
    send({ kind: 'failed', error: err instanceof Error ? err.message : String(err), stopped: err instanceof ImportWriteStopped })
  }
  port.close()
})
