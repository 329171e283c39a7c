// Another process on the store: one holding its write lock for a while (a large import, a trainer's
// transaction), or any node script the test talks to through stdin.
import { spawn } from 'node:child_process'

export interface OtherProcess {
  exited: Promise<number | null>
  /** Writes a line to its stdin. */
  tell(line: string): void
  /** What it printed so far. */
  printed(): string
}

/** `node <args>` in a separate process; resolves once it prints `ready`. */
export function otherProcess(args: string[], ready: string, what: string): Promise<OtherProcess> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const tell = (line: string): void => void child.stdin.write(`${line}\n`)
  let out = ''
  const printed = (): string => out
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes(ready)) resolve({ exited, tell, printed })
    })
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}) before it printed "${ready}"`)))
  })
}

/** A separate process holding the store's write lock for `ms`; resolves once it holds it. It prints `released <Date.now()>` as it lets go. */
export function holdWriteLock(dbPath: string, ms: number): Promise<OtherProcess> {
  const script = `const db = require('better-sqlite3')(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE projects SET name = name").run(); console.log('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2])); console.log('released ' + Date.now()); db.exec('COMMIT'); db.close()`
  return otherProcess(['-e', script, dbPath, String(ms)], 'locked', 'the lock holder')
}

/** When (Date.now()) the holder let go of the lock, once it has exited. */
export async function releasedAt(holder: OtherProcess): Promise<number> {
  await holder.exited
  const at = /released (\d+)/.exec(holder.printed())
  if (!at) throw new Error(`the lock holder did not say when it let go: ${holder.printed()}`)
  return Number(at[1])
}
