// `GET /events`: one WebSocket per open page, each receiving every back-end event as
// `{"event": name, "payload": ...}`. Clients only listen; they never send.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Backend } from '#main/app/backend'

/** A client that misses a ping for this long is gone (laptop lid closed, network dropped). */
const HEARTBEAT_MS = 30_000

export interface EventSockets {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): void
}

export function createEventSockets(backend: Backend): EventSockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 })
  const alive = new WeakSet<WebSocket>()

  wss.on('connection', (ws) => {
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    const unsubscribe = backend.events.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }))
    })
    ws.on('close', unsubscribe)
    ws.on('error', () => ws.terminate())
  })

  // Without this, a vanished client keeps its subscription until the OS gives up on the TCP link.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  return {
    upgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    close() {
      clearInterval(heartbeat)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}
