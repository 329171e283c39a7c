// Which module answers which request, after the access check every request goes through.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { API_ROUTE, EVENTS_ROUTE, MEDIA_ROUTE } from '#shared/contract'
import type { Backend } from '#main/app/backend'
import type { Access, Refusal } from './access'
import { serveApi, type UploadGate } from './api-route'
import type { EventSockets } from './events-socket'
import { serveMedia } from './media-route'
import { requestTarget } from './request-target'
import { sendError, sendText, setSafetyHeaders } from './respond'
import { serveStatic } from './static-files'

export interface RouteDeps {
  backend: Backend
  access: Access
  events: EventSockets
  rendererDir: string
  uploads: UploadGate
}

export function createRequestHandler(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      console.error(`common-ground serve: ${req.method} ${req.url} failed`, err)
      if (!res.headersSent) sendText(res, 500, 'Internal server error')
      else res.destroy()
    })
  }
}

async function route({ backend, access, rendererDir, uploads }: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setSafetyHeaders(res)
  const { rawPath, query } = requestTarget(req)
  const isApi = rawPath.startsWith(API_ROUTE)
  const refusal = access.refusal(req)
  // The host and origin checks come first; a token in the query is the one way in without a cookie.
  if (refusal?.status === 403) return refuse(res, refusal, isApi)
  if (access.signIn(req, res, rawPath, query)) return
  if (refusal) return refuse(res, refusal, isApi)

  if (isApi) return serveApi(req, res, backend, rawPath.slice(API_ROUTE.length), uploads)
  if (rawPath.startsWith(MEDIA_ROUTE)) return serveMedia(req, res, backend, rawPath.slice(MEDIA_ROUTE.length))
  return serveStatic(req, res, rendererDir, rawPath)
}

/** API callers get the contract's envelope, so the UI can show the message; others get text. */
function refuse(res: ServerResponse, { status, message }: Refusal, isApi: boolean): void {
  if (isApi) sendError(res, status, { code: status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'bad-request', message })
  else sendText(res, status, message)
}

export function createUpgradeHandler(deps: RouteDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const refusal = deps.access.refusal(req)
    if (refusal) return refuseUpgrade(socket, refusal.status)
    if (requestTarget(req).rawPath !== EVENTS_ROUTE) return refuseUpgrade(socket, 404)
    deps.events.upgrade(req, socket, head)
  }
}

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
