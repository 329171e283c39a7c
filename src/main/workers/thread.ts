// Starting a worker thread (worker_threads) on a TypeScript entry under src/main: the same in Node
// (CLI, browser mode, tests) and in Electron's main process, so a shell's heavy synchronous work
// (reads of a large store) can leave its event loop. The thread shares the process; a crash of
// its code reaches the parent as an 'error' event, never as a dead app.
import { SHARE_ENV, Worker } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { workerEntry } from './child-process'

/**
 * Starts `entry` (a path under src/main) in a new thread; `data` reaches it as workerData.data.
 * Its stdout is not ours to print (a CLI's --json output): read and dropped, unless `dropStdout` is
 * false, for a thread that prints nothing and is unref()'d when idle: the stream being read keeps
 * the process alive even then. A thread sees a copy of the environment as it was at its start,
 * unless `shareEnv`: then the process's own, as it is now.
 */
export function startThread(entry: string, data: unknown, { dropStdout = true, shareEnv = false } = {}): Worker {
  const worker = new Worker(workerEntry('workers/ts-thread.mjs'), {
    workerData: { entryUrl: pathToFileURL(workerEntry(entry)).href, data },
    stdout: dropStdout,
    ...(shareEnv ? { env: SHARE_ENV } : {}),
  })
  if (dropStdout) worker.stdout.resume()
  return worker
}
