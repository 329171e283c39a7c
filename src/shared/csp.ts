// The renderer's Content-Security-Policy, one definition for every place that sends it: the
// <meta> tag in the built index.html, the HTTP server's header, and Electron's response headers.
import { MEDIA_SCHEME } from './contract'

const STRICT_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  // cg-media: is Electron's image protocol; data:/blob: cover generated previews.
  'img-src': `'self' ${MEDIA_SCHEME}: data: blob:`,
  // 'self' also covers the same-origin WebSocket (/events) in browser mode (CSP level 3).
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
}

const serialize = (directives: Record<string, string>): string =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')

export const CONTENT_SECURITY_POLICY = serialize(STRICT_DIRECTIVES)

/** Vite's dev server injects component styles as inline <style> elements, so dev allows those. */
export const DEV_CONTENT_SECURITY_POLICY = serialize({ ...STRICT_DIRECTIVES, 'style-src': "'self' 'unsafe-inline'" })

/** A <meta> tag cannot carry frame-ancestors (browsers ignore it there and warn). */
export const META_CONTENT_SECURITY_POLICY = serialize(
  Object.fromEntries(Object.entries(STRICT_DIRECTIVES).filter(([name]) => name !== 'frame-ancestors')),
)
