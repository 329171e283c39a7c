// Browser mode: the same back end as the desktop app, over HTTP (API, media, the built UI) and a
// WebSocket (events). Plain node:http; the routes live in their own modules.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAccess } from './access'
import { createUploadGate } from './api-route'
import { createEventSockets } from './events-socket'
import { createRequestHandler, createUpgradeHandler, type RouteDeps } from './routes'
import { LIMITS, type RunningServer, type ServerOptions } from './types'

export type { RunningServer, ServerOptions } from './types'

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 5317

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST
  const limits = { ...LIMITS, ...options.limits }
  const deps: RouteDeps = {
    backend: options.backend,
    access: createAccess({ host, token: options.token }),
    events: createEventSockets(options.backend),
    rendererDir: options.rendererDir,
    uploads: createUploadGate(limits.concurrentBodies),
  }
  // Node's own request timeout is 300 s: a client trickling a body would hold its buffer that long.
  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    createRequestHandler(deps),
  )
  server.on('upgrade', createUpgradeHandler(deps))
  try {
    await listen(server, host, options.port ?? DEFAULT_PORT)
  } catch (err) {
    deps.events.close()
    throw err
  }
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    host,
    port,
    token: deps.access.token,
    async close() {
      deps.events.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`Port ${port} on ${host} is already in use: pick another with --port`))
      else if (err.code === 'EADDRNOTAVAIL') reject(new Error(`Cannot listen on ${host}: this machine has no such address`))
      else reject(new Error(`Cannot listen on ${host}:${port}: ${err.message}`))
    })
    server.listen(port, host, () => resolve())
  })
}
