// `common-ground serve --json` in its own process, for tests that kill it: resolves once it listens
// with its URL and token, and calls its API the way the UI does (the token on every request).
import { spawn, type ChildProcess } from 'node:child_process'
import { CLI } from './cli'

export interface ServeProcess {
  child: ChildProcess
  url: string
  token: string
  /** POSTs `payload` to the API method and returns the parsed reply; rejects when no answer came. */
  call(method: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }>
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>
}

export function serveProcess(db: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (chunk: Buffer) => (err += chunk))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk
      let printed: { url: string; token: string }
      try {
        printed = JSON.parse(out) as { url: string; token: string }
      } catch {
        return // not all of it yet
      }
      const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${printed.token}` }
      resolve({
        child,
        url: printed.url,
        token: printed.token,
        call: async (method, payload) => (await (await fetch(`${printed.url}api/${method}`, { method: 'POST', headers, body: JSON.stringify(payload) })).json()) as { ok: boolean },
        kill: async () => void (child.kill('SIGKILL'), await exited),
      })
    })
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)))
  })
}
