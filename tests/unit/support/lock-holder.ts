// Another process on the store: one holding its write lock for a while (a large import, a trainer's
// transaction), or any node script the test talks to through stdin.
import { spawn } from 'node:child_process'

export interface OtherProcess {
  exited: Promise<number | null>
  /** Writes a line to its stdin. */
  tell(line: string): void
}

/** `node <args>` in a separate process; resolves once it prints `ready`. */
export function otherProcess(args: string[], ready: string, what: string): Promise<OtherProcess> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const tell = (line: string): void => void child.stdin.write(`${line}\n`)
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes(ready) && resolve({ exited, tell }))
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}) before it printed "${ready}"`)))
  })
}

/** A separate process holding the store's write lock for `ms`; resolves once it holds it. */
export function holdWriteLock(dbPath: string, ms: number): Promise<OtherProcess> {
  const script = `const db = require('better-sqlite3')(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE projects SET name = name").run(); console.log('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2])); db.exec('COMMIT'); db.close()`
  return otherProcess(['-e', script, dbPath, String(ms)], 'locked', 'the lock holder')
}
