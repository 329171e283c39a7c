// Small response helpers shared by every route, so each answer carries the same safety headers.
import type { ServerResponse } from 'node:http'
import type { ApiErrorBody } from '#shared/contract'
import { CONTENT_SECURITY_POLICY } from '#shared/csp'

/** Headers on every answer: the CSP, no MIME sniffing, no referrer leaking project paths. */
export function setSafetyHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

/** The contract's error envelope, for failures found before the back end sees the request. */
export const sendError = (res: ServerResponse, status: number, error: ApiErrorBody): void =>
  sendJson(res, status, { ok: false, error })

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export const sendNotFound = (res: ServerResponse): void => sendText(res, 404, 'Not found')

/** GET and HEAD only; anything else is told which methods the route takes. */
export function allowReadOnly(method: string | undefined, res: ServerResponse): boolean {
  if (method === 'GET' || method === 'HEAD') return true
  sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' })
  return false
}
