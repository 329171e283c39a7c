// The app's ImportWriter: the import's one transaction runs on a thread with its own connection
// (on-write-thread.ts), where on the shell's connection 100,000 posts held its event loop ~8 s
// (docs/RESULTS.md). The posts go over in batches with a turn of the loop between them.
import { nextTurn } from '#main/core/loop-turns'
import { writtenImport, type ImportWriter } from '#main/db/import-writer'
import { startThread } from '#main/workers/thread'
import { onWriteThread, type WriteThreadConnection } from './on-write-thread'

/** Posts per message: a structured clone of a few milliseconds on the shell's loop. */
const POSTS_PER_MESSAGE = 2_000

/** `start` starts the thread (tests: to stop it midway). */
export function threadImportWriter(connection: WriteThreadConnection, start = startThread): ImportWriter {
  return async (write, options) => {
    const { posts, ...rest } = write
    let sourceId: number | undefined
    const result = await onWriteThread(
      connection,
      {
        async send(post) {
          for (let at = 0; at < posts.length; at += POSTS_PER_MESSAGE) {
            post({ kind: 'posts', posts: posts.slice(at, at + POSTS_PER_MESSAGE) })
            await nextTurn()
          }
          options.signal?.throwIfAborted()
          post({ kind: 'import', write: rest })
        },
        progress: options.progress,
        signal: options.signal,
        began: (id) => (sourceId = id),
        landed(db) {
          const written = sourceId === undefined ? undefined : writtenImport(db, write.projectId, sourceId)
          return written && { kind: 'imported', written }
        },
      },
      start,
    )
    if (result.kind !== 'imported') throw new Error(`the import's thread answered ${result.kind}`)
    return result.written
  }
}
