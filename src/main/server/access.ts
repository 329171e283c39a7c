// Who may talk to the server. Every API, media, UI and WebSocket request needs the token, on
// loopback too (any local program, any other user of the machine can reach a loopback port):
// presented once as `/?token=T` (kept as an HttpOnly cookie) or on every request as
// `Authorization: Bearer T`. On loopback, requests must also be addressed to this machine by name
// (a DNS-rebinding page arrives with its own Host header); a page from another origin gets nothing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendText } from './respond'

const COOKIE = 'cg_token'

export interface Refusal {
  status: 401 | 403
  message: string
}

export interface Access {
  /** The token clients must present (given, or made up at start). */
  readonly token: string
  /** Why this request may not go on, or null when it may. */
  refusal(req: IncomingMessage): Refusal | null
  /**
   * Handles `?token=T`: a right token sets the cookie and redirects to the same path without it.
   * Returns whether it answered the request.
   */
  signIn(req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams): boolean
}

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase()
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
}

export function createAccess(options: { host: string; token?: string }): Access {
  const loopback = isLoopbackHost(options.host)
  const token = options.token ?? randomBytes(24).toString('base64url')
  const hostNames = new Set([options.host.toLowerCase(), 'localhost', '127.0.0.1'])
  const matches = tokenMatcher(token)

  return {
    token,
    refusal(req) {
      const host = req.headers.host ?? ''
      if (loopback && !hostNames.has(hostNameOf(host))) {
        return { status: 403, message: `Refused: this server answers to localhost, not to "${host}"` }
      }
      // Browsers send Origin on cross-site POSTs and WebSockets; a page from elsewhere gets nothing.
      const origin = req.headers.origin
      if (origin !== undefined && originHost(origin) !== host.toLowerCase()) {
        return { status: 403, message: `Refused: requests from ${origin} are not allowed` }
      }
      if (!matches(presentedToken(req))) {
        return {
          status: 401,
          message: 'Not signed in: open the address `common-ground serve` printed, the one ending in ?token=…',
        }
      }
      return null
    },
    signIn(req, res, rawPath, query) {
      const offered = query.get('token')
      if (offered === null) return false
      if (!matches(offered)) {
        sendText(res, 401, 'Wrong token: check the address `common-ground serve` printed')
        return true
      }
      res.writeHead(302, {
        'Set-Cookie': `${COOKIE}=${encodeURIComponent(offered)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: sameSitePath(rawPath),
        'Cache-Control': 'no-store',
      })
      res.end()
      return true
    },
  }
}

/**
 * The path to send a signed-in browser on to, never another site: browsers read `\` as `/`, so
 * `/\evil.example` is `//evil.example`, a scheme-relative address. Parsed as a browser would, then
 * reduced to one leading slash; anything that still leaves this origin goes to `/`.
 */
export function sameSitePath(rawPath: string): string {
  const base = 'http://this.server'
  let url: URL
  try {
    url = new URL(rawPath, base)
  } catch {
    return '/'
  }
  if (url.origin !== base) return '/'
  return `/${url.pathname.replace(/^[/\\]+/, '')}`
}

/** Constant-time comparison (of digests, so the lengths match too). */
function tokenMatcher(token: string): (offered: string | null) => boolean {
  const expected = sha256(token)
  return (offered) => offered !== null && timingSafeEqual(sha256(offered), expected)
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest()

function presentedToken(req: IncomingMessage): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (bearer) return bearer[1]!
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE) return safeDecode(value.join('='))
  }
  return null
}

/** `127.0.0.1:5317` → `127.0.0.1`, `[::1]:5317` → `::1`. */
function hostNameOf(hostHeader: string): string {
  const name = hostHeader.toLowerCase()
  const bracketed = /^\[([^\]]+)\]/.exec(name)
  if (bracketed) return bracketed[1]!
  return name.replace(/:\d+$/, '')
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}
