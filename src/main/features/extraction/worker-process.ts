// Starting the feature worker. In Node (CLI, browser mode, tests) it is a forked child running
// the TypeScript entry through tsx; Electron supplies its own launcher (a utilityProcess) with the
// same shape, so nothing past this file knows which kind of process it talks to.
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { FromWorker, ToWorker } from '../extraction-protocol'

export interface WorkerHandle {
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** `reason` is null for a clean exit (code 0), else what ended the process. */
  onExit(listener: (reason: string | null) => void): void
  /** Ends the process at once (SIGKILL): safe, since the cache only ever holds whole batches. */
  kill(): void
}

export type LaunchWorker = () => WorkerHandle

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url))
/** Last bytes of the child's stderr kept to explain a crash. */
const STDERR_TAIL = 2000

export function forkWorker(): WorkerHandle {
  // Absolute, so the child finds tsx whatever its working directory.
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const child = fork(WORKER_ENTRY, [], {
    execArgv: ['--import', tsxLoader],
    // stdout is not ours to print: an encoder's chatter must never reach a CLI's --json output.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL)
  })
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromWorker)),
    // 'close' comes after 'exit' once stdio and the IPC channel are done: no message can follow it.
    onExit: (listener) =>
      child.on('close', (code, signal) => {
        const detail = stderr.trim() ? `: ${stderr.trim()}` : ''
        listener(code === 0 ? null : `${signal ? `killed by ${signal}` : `exit code ${code}`}${detail}`)
      }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
