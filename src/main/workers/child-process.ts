// Starting a worker process. In Node (CLI, browser mode, tests) it is a child running a TypeScript
// entry through tsx, forked here by the spawner thread (fork-off-loop.ts); Electron supplies its own
// launcher (a utilityProcess, see electron/utility-process.ts) with the same shape, so nothing past
// this file knows which kind of process it talks to. The feature worker and the trainer start here.
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface ChildHandle<In = unknown, Out = unknown> {
  send(message: In): void
  onMessage(listener: (message: Out) => void): void
  /** `reason` is null for a clean exit (code 0), else what ended the process (with its stderr's tail). */
  onExit(listener: (reason: string | null) => void): void
  /** Ends the process at once (SIGKILL): the workers only ever leave whole transactions and renamed files. */
  kill(): void
  /** The process id, where the launcher knows it (a bench reads the worker's peak memory from /proc). */
  readonly pid?: number
}

/** Starts the worker whose TypeScript entry file is `entry`. */
export type LaunchChild = (entry: string) => ChildHandle

/** Last bytes of a child's stderr kept to explain a crash. */
const STDERR_TAIL = 2000

/** The loader that runs TypeScript entries; absolute, so a child finds it whatever its working directory. */
export const tsxLoader = (): string => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** Keeps the last bytes a child wrote to stderr. */
export function stderrTail(stream: NodeJS.ReadableStream | null | undefined): () => string {
  let tail = ''
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL)
  })
  return () => tail.trim()
}

/** Null for a clean exit, else "killed by SIGKILL: <stderr tail>" or "exit code 1: …". */
export function exitReason(code: number | null, signal: string | null, stderr: string): string | null {
  if (code === 0) return null
  return `${signal ? `killed by ${signal}` : `exit code ${code}`}${stderr ? `: ${stderr}` : ''}`
}

/**
 * A worker's TypeScript entry, by its path under src/main. Found from the project root (the first
 * folder up with a package.json), so it is the same file whether this code runs from the sources
 * (tsx) or from Electron's bundle in out/main, where a path relative to this module would not exist.
 */
export function workerEntry(pathUnderSrcMain: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}: cannot find the worker ${pathUnderSrcMain}`)
    dir = up
  }
  return path.join(dir, 'src', 'main', pathUnderSrcMain)
}

export function forkChild<In = unknown, Out = unknown>(entry: string): ChildHandle<In, Out> {
  const child = fork(entry, [], {
    execArgv: ['--import', tsxLoader()],
    // stdout is not ours to print: a library's chatter must never reach a CLI's --json output.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  const stderr = stderrTail(child.stderr)
  return {
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    send: (message) => {
      if (child.connected) child.send(message as object)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as Out)),
    // 'close' comes after 'exit' once stdio and the IPC channel are done: no message can follow it.
    onExit: (listener) => child.on('close', (code, signal) => listener(exitReason(code, signal, stderr()))),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
