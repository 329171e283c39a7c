// The read thread: its own read-only connection to the store (WAL lets it read while the shell
// writes), answering the heavy reads (handlers/reads.ts) one message at a time. The one thing it
// writes is derived data — a finished run's review order and counts — through a second connection opened
// the first time a run needs ranking; that connection also runs the shell's WAL checkpoints, and
// starts the WAL afresh after one that copied all of it, so neither the checkpoint's fsyncs nor the
// new WAL header's are waited for on the shell's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import type { Database } from 'better-sqlite3'
import { openDatabase, openStore } from '#main/db/store'
import { writeNow } from '#main/db/write-lock'
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

/** A PASSIVE checkpoint (it never waits for a writer); true when it copied the whole WAL, so the next write starts it afresh. */
function checkpoint(): boolean {
  const [result] = writing().db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>
  return !!result && result.busy === 0 && result.log > 0 && result.log === result.checkpointed
}

/**
 * A write of nothing (the schema version, unchanged) in an IMMEDIATE transaction. The first write
 * after a checkpoint that copied the whole WAL starts it afresh and fsyncs its header — SQLite does
 * so at synchronous = NORMAL too (ticket ff5be73dee: a reordered write after a WAL restart could
 * corrupt the database) — 5–130 ms on a loaded disk. Made here, the shell's next write appends to a
 * started WAL and syncs nothing. The shell holds its requests' writes until the checkpoint message
 * that ran this answers (read-client.ts); any other writer finds the lock taken and waits (every write transaction is
 * IMMEDIATE, so it waits rather than fails), or takes it first, and then this gives up at once:
 * that writer starts the WAL itself, as it would have without this.
 */
function startWal(): boolean {
  const { db } = writing()
  return writeNow(db, () => db.pragma(`user_version = ${db.pragma('user_version', { simple: true }) as number}`))
}

async function answer(message: ToReadThread): Promise<unknown> {
  if (message.kind === 'rank') return rank(message.runId)
  if (message.kind === 'checkpoint') return checkpoint() && message.startWal && startWal()
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
