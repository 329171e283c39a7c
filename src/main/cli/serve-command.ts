import { fileURLToPath } from 'node:url'
import { createBackend } from '#main/app/backend'
import { CliError, printJson, type Command } from './command'

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url))

export const serveCommand: Command = {
  usage: '[--host 127.0.0.1] [--port 5317] [--token T]',
  summary: 'Browser mode: serve the app and its API on http://HOST:PORT',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    token: { type: 'string' },
  },
  async run(ctx) {
    const port = ctx.values.port === undefined ? undefined : Number(ctx.values.port)
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CliError('--port must be 0–65535', 2)
    // Loaded on demand: the other commands need no HTTP stack.
    const { startServer } = await import('#main/server/index')
    // Heavy reads in the read thread: one slow page must not hold up every other request.
    const backend = createBackend({ dbPath: ctx.dbPath, shell: { shell: 'browser' }, readThread: true })
    let server
    try {
      server = await startServer({
        backend,
        host: ctx.values.host as string | undefined,
        port,
        token: ctx.values.token as string | undefined,
        rendererDir: RENDERER_DIR,
      })
    } catch (err) {
      backend.close()
      throw err
    }
    const shownUrl = server.token ? `${server.url}?token=${server.token}` : server.url
    if (ctx.json) printJson({ ok: true, url: server.url, port: server.port, token: server.token, db: backend.store.path })
    else console.log(`Common Ground is serving ${shownUrl}\n  store: ${backend.store.path}\n  stop with Ctrl+C`)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await server.close()
    backend.close()
    return 0
  },
}
