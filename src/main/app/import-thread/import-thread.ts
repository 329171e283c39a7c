// An import, start to finish, on a thread of its own (started by on-import-thread.ts): reading the
// input, checking every image, and the one transaction that writes it, on its own connection. On
// the shell, 100,000 candidates were a heap of ~100 MB whose major GC held the loop 50–63 ms while
// a folder or MVSA import read its files; here that heap, and its collections, are the thread's.
// Its progress goes to the shell at most ~10 a second; a cancel reaches it as a message while it
// reads and checks, and through shared memory while it writes (it is busy in the transaction then).
import { parentPort, workerData } from 'node:worker_threads'
import { reportToSend } from '#shared/imports'
import { reportThrottle } from '#main/core/eta'
import { openStore, type Store } from '#main/db/store'
import { BACKGROUND_BUSY_TIMEOUT_MS } from '#main/db/write-lock'
import { writeWhole, type ImportWriter } from '#main/db/import-writer'
import { ImportInputError, runImport } from '#main/datasets/run-import'
import { GrantedRoots } from '../granted-roots'
import type { FromImportThread, ImportThreadData, ToImportThread } from './protocol'

const port = parentPort
if (!port) throw new Error('import-thread.ts runs as a worker thread (see on-import-thread.ts)')
const { dbPath, nativeBinding, roots, request, stop } = (workerData as { data: ImportThreadData }).data
const stopped = new Int32Array(stop)
const send = (message: FromImportThread): void => port.postMessage(message)

const controller = new AbortController()
port.on('message', (message: ToImportThread) => {
  if (message.kind === 'cancel') controller.abort()
})

/** The write in place on the thread's connection; the shell hears when it takes the lock and which source row is the import's. */
const writeHere =
  (store: Store): ImportWriter =>
  async (w, options) => {
    send({ kind: 'writing' })
    return writeWhole(store, w, {
      began: (sourceId) => send({ kind: 'began', sourceId }),
      progress: options.progress,
      stopped: () => Atomics.load(stopped, 0) === 1,
    })
  }

const main = async (): Promise<void> => {
  let store: Store | undefined
  try {
    // It waits for another writer as the worker processes do: a trainer's results are not refused for an import.
    store = openStore(dbPath, { nativeBinding, busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS })
    const granted = new GrantedRoots(roots)
    const due = reportThrottle()
    let phase: string | undefined
    const report = await runImport({
      store,
      ...request,
      signal: controller.signal,
      mayRead: (folder) => granted.contains(folder),
      write: writeHere(store),
      onProgress: (update) => {
        // Every phase's start and end goes; in between, at most one every 100 ms.
        const force = update.phase !== phase || update.done === update.total
        phase = update.phase
        if (due(force)) send({ kind: 'progress', ...update })
      },
    })
    send({ kind: 'done', report: reportToSend(report) })
  } catch (err) {
    send({ kind: 'failed', error: err instanceof Error ? err.message : String(err), inputError: err instanceof ImportInputError })
  } finally {
    store?.close()
    // The thread ends once the images still being decoded (a cancel stops starting new ones) are done:
    // a thread terminated inside sharp can take the process with it.
    port.close()
  }
}

void main()
