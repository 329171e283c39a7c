// A label check's computation in a worker thread (started by label-check-jobs.ts): its own
// read-only connection, progress per fold, and the result as one message. The shell stores it.
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#main/db/store'
import { computeLabelCheck, type LabelCheckInput } from '#main/review/label-check'
import type { FromCheckThread } from './protocol'

const port = parentPort
if (!port) throw new Error('label-check-thread.ts runs as a worker thread (see label-check-jobs.ts)')
const { dbPath, nativeBinding, input } = (workerData as { data: { dbPath: string; nativeBinding?: string; input: LabelCheckInput } }).data

const send = (message: FromCheckThread): void => port.postMessage(message)
const db = openDatabase(dbPath, { nativeBinding, readonly: true })
try {
  const result = computeLabelCheck(db, input, (phase, done, total) => send({ kind: 'progress', phase, done, total }))
  send({ kind: 'done', result })
} catch (err) {
  send({ kind: 'failed', error: err instanceof Error ? err.message : String(err) })
} finally {
  db.close()
}
