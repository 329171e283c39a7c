// `POST /api/<method>`: the JSON body is the request payload, the answer is dispatch's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Backend } from '#main/app/backend'
import { sendError, sendJson } from './respond'

export const MAX_BODY_BYTES = 1024 * 1024

class BodyTooLarge extends Error {}

/** Counts request bodies being read, so a crowd of stalled uploads cannot pile up buffers. */
export interface UploadGate {
  tryEnter(): boolean
  leave(): void
}

export function createUploadGate(limit: number): UploadGate {
  let open = 0
  return {
    tryEnter: () => (open < limit ? (open++, true) : false),
    leave: () => void open--,
  }
}

export async function serveApi(req: IncomingMessage, res: ServerResponse, backend: Backend, rawMethod: string, uploads: UploadGate): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return sendError(res, 405, { code: 'bad-request', message: `Use POST for /api/${rawMethod}` })
  }
  // Requiring JSON also keeps other sites out: a cross-origin JSON POST needs a CORS preflight,
  // which this server never grants.
  if (!isJson(req.headers['content-type'])) {
    return sendError(res, 400, { code: 'bad-request', message: 'The request body must be JSON (Content-Type: application/json)' })
  }
  if (!uploads.tryEnter()) {
    res.setHeader('Connection', 'close')
    res.setHeader('Retry-After', '1')
    return sendError(res, 503, { code: 'busy', message: 'Too many requests are sending their bodies at once; try again in a moment' })
  }
  let payload: unknown
  try {
    payload = JSON.parse(await readBody(req))
  } catch (err) {
    if (err instanceof BodyGone) return
    if (err instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close')
      return sendError(res, 413, { code: 'bad-request', message: `The request body is larger than ${MAX_BODY_BYTES} bytes` })
    }
    return sendError(res, 400, { code: 'bad-request', message: `The request body is not valid JSON: ${(err as Error).message}` })
  } finally {
    uploads.leave()
  }
  let method: string
  try {
    method = decodeURIComponent(rawMethod)
  } catch {
    method = rawMethod // dispatch rejects it by name
  }
  sendJson(res, 200, await backend.dispatch(method, payload))
}

const isJson = (contentType: string | undefined): boolean =>
  contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json'

/** The client went away (or timed out) before its body ended: nothing to answer. */
class BodyGone extends Error {}

/**
 * Collects the body; past the limit it rejects at once and discards the rest (the socket closes
 * after the 413). A request that closes before its end (the server's request timeout destroys a
 * stalled one) drops what it had collected.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      req.resume()
      return reject(new BodyTooLarge())
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return
      size += chunk.length
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
      chunks.length = 0
      reject(new BodyTooLarge())
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('close', () => {
      chunks.length = 0
      if (!req.complete) reject(new BodyGone())
    })
    req.on('error', () => reject(new BodyGone()))
  })
}
