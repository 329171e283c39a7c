import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expandHome } from '#main/app/paths'
import { createBackend } from '#main/app/backend'
import { CliError, printJson, type Command } from './command'
import { chooseToken, TOKEN_ENV } from './serve-token'

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url))

export const serveCommand: Command = {
  usage: `[--host 127.0.0.1] [--port 5317] [--token-file FILE] (or ${TOKEN_ENV}) [--root DIR …]`,
  summary: 'Browser mode: serve the app and its API on http://HOST:PORT (open the printed address: it carries the token)',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    root: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const port = ctx.values.port === undefined ? undefined : Number(ctx.values.port)
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CliError('--port must be 0–65535', 2)
    const { token, warning } = await chooseToken({ token: ctx.values.token as string | undefined, tokenFile: ctx.values['token-file'] as string | undefined })
    if (warning) console.error(`common-ground serve: ${warning}`)
    // Loaded on demand: the other commands need no HTTP stack.
    const { startServer } = await import('#main/server/index')
    // The folders requests may read and write, besides the data folder: the home folder unless told.
    const roots = ((ctx.values.root as unknown as string[] | undefined) ?? [os.homedir()]).map((r) => path.resolve(expandHome(r)))
    // Heavy reads in the read thread: one slow page must not hold up every other request.
    const backend = createBackend({ dbPath: ctx.dbPath, shell: { shell: 'browser', roots }, readThread: true })
    let server
    try {
      server = await startServer({
        backend,
        host: ctx.values.host as string | undefined,
        port,
        token,
        rendererDir: RENDERER_DIR,
      })
    } catch (err) {
      backend.close()
      throw err
    }
    const shownUrl = `${server.url}?token=${encodeURIComponent(server.token)}`
    if (ctx.json) printJson({ ok: true, url: server.url, port: server.port, token: server.token, db: backend.store.path })
    else console.log(`Common Ground is serving ${shownUrl}\n  store: ${backend.store.path}\n  folders it may use: ${roots.join(', ')} and the store's folder\n  stop with Ctrl+C`)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await server.close()
    // An import cancelled by the stop ends on its thread; the process ends after it.
    await backend.close()
    return 0
  },
}
