import type { IncomingMessage } from 'node:http'

export interface RequestTarget {
  /** The path exactly as sent, still percent-encoded and not dot-normalized: routes decide. */
  rawPath: string
  query: URLSearchParams
}

export function requestTarget(req: IncomingMessage): RequestTarget {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  return q < 0
    ? { rawPath: url, query: new URLSearchParams() }
    : { rawPath: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) }
}
