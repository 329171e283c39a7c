import { execFile, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../../bin/common-ground.mjs', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Starts `common-ground ARGS` in its own process: its exit is `result`; `child` takes signals. */
export function startCli(...args: string[]): { child: ChildProcess; result: Promise<CliResult> } {
  let child!: ChildProcess
  const result = new Promise<CliResult>((resolve) => {
    child = execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
  return { child, result }
}

export const cli = (...args: string[]): Promise<CliResult> => startCli(...args).result
