// Worker processes in the desktop app: Electron's utilityProcess, speaking the same messages as
// the forked Node child of the CLI and browser mode (workers/child-process.ts). The entry files
// are TypeScript, run through tsx as in Node (tsx is a runtime dependency).
import { utilityProcess } from 'electron'
import path from 'node:path'
import { exitReason, stderrTail, tsxLoader, type ChildHandle } from '#main/workers/child-process'

export function launchUtilityProcess(entry: string): ChildHandle {
  const child = utilityProcess.fork(entry, [], {
    execArgv: ['--import', tsxLoader()],
    // stdout is not ours to print; stderr explains a crash.
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: `Common Ground ${path.basename(entry, '.ts')}`,
  })
  const stderr = stderrTail(child.stderr)
  let exited = false
  return {
    send: (message) => {
      if (!exited) child.postMessage(message)
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    onExit: (listener) =>
      child.on('exit', (code: number) => {
        exited = true
        // Let the last of stderr arrive before the reason is read.
        setImmediate(() => listener(exitReason(code, null, stderr())))
      }),
    kill: () => {
      if (!exited) child.kill()
    },
  }
}
