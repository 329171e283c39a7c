// The read thread: its own read-only connection to the store (WAL lets it read while the shell
// writes), answering the heavy reads (handlers/reads.ts) one message at a time. The one thing it
// writes is derived data — a finished run's review order and counts — through a second connection opened
// the first time a run needs ranking; that connection also runs the shell's WAL checkpoints, so
// their fsyncs are not waited for on the shell's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import type { Database } from 'better-sqlite3'
import { openDatabase, openStore } from '#main/db/store'
import { ReviewRepo } from '#main/db/review-repo'
import { ensureRanked, needsRanking } from '#main/review/ranking'
import { riskModelOf } from '#main/review/risk'
import { toErrorBody } from '#main/core/errors'
import { readHandlers } from '../handlers/reads'
import type { FromReadThread, ReadThreadData, ToReadThread } from './protocol'

const port = parentPort
if (!port) throw new Error('read-thread.ts runs as a worker thread (see read-client.ts)')
const { dbPath, nativeBinding } = (workerData as { data: ReadThreadData }).data

const store = openStore(dbPath, { nativeBinding, readonly: true })
const handlers = readHandlers(store)
let writer: { db: Database; review: ReviewRepo } | null = null

function writing(): { db: Database; review: ReviewRepo } {
  if (!writer) {
    const db = openDatabase(dbPath, { nativeBinding })
    writer = { db, review: new ReviewRepo(db) }
  }
  return writer
}

function rank(runId: number): void {
  if (!needsRanking(store.review, runId)) return
  ensureRanked(writing().review, runId, riskModelOf(store.runs.calibration(runId)))
}

async function answer(message: ToReadThread): Promise<unknown> {
  if (message.kind === 'rank') return rank(message.runId)
  if (message.kind === 'checkpoint') return void writing().db.pragma('wal_checkpoint(PASSIVE)')
  if (message.method === 'review.queue') rank((message.payload as { runId: number }).runId)
  const handler = handlers[message.method] as (payload: unknown) => unknown
  return await handler(message.payload)
}

port.on('message', (message: ToReadThread) => {
  answer(message).then(
    (result) => port.postMessage({ id: message.id, ok: true, result } satisfies FromReadThread),
    (err: unknown) => port.postMessage({ id: message.id, ok: false, error: toErrorBody(err) } satisfies FromReadThread),
  )
})

port.on('close', () => {
  store.db.close()
  writer?.db.close()
})
