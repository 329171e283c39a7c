// A long write on a thread of its own (started by on-write-thread.ts), so the shell's event loop
// keeps answering meanwhile: a project's or a run's deletion (a 100,000-post project's cascade
// through its posts, labels and feature vectors took 6.4 s on the shell; a run's 100,000
// pseudo-labels 0.45 s). Its own connection, one message, one answer. (An import, read to write,
// runs on a thread of its own too: app/import-thread.)
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#main/db/store'
import { BACKGROUND_BUSY_TIMEOUT_MS } from '#main/db/write-lock'
import { ProjectsRepo } from '#main/db/projects-repo'
import { RunsRepo } from '#main/db/runs-repo'
import type { FromWriteThread, ToWriteThread } from './protocol'

const port = parentPort
if (!port) throw new Error('write-thread.ts runs as a worker thread (see on-write-thread.ts)')
const { dbPath, nativeBinding } = (workerData as { data: { dbPath: string; nativeBinding?: string } }).data

const send = (message: FromWriteThread): void => port.postMessage(message)

port.on('message', (message: ToWriteThread) => {
  try {
    // It waits for another writer as the worker processes do: a project deleted while an import into it is written waits for the import.
    const db = openDatabase(dbPath, { nativeBinding, busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS })
    try {
      // One statement: the schema's cascades take the rest with it, all or nothing.
      const deleted = message.what === 'project' ? new ProjectsRepo(db).delete(message.id) : new RunsRepo(db).delete(message.id)
      send({ kind: 'done', deleted })
    } finally {
      db.close()
    }
  } catch (err) {
    send({ kind: 'failed', error: err instanceof Error ? err.message : String(err) })
  }
  port.close()
})
