// `cg-media://media/<mediaPath>`: project images for the renderer, resolved by the back end
// inside the project's own folders only. Any refusal is a bare 404.
import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { MEDIA_SCHEME } from '#shared/contract'
import type { Backend } from '#main/app/backend'

const MEDIA_HOST = 'media'

/** Must run before the app is ready. Standard + secure: real URLs, allowed as images on the app's pages. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

export function serveMediaProtocol(backend: Backend): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (request.method !== 'GET' || url.host !== MEDIA_HOST) return notFound()
    // The path stays percent-encoded: the resolver decodes it once, then checks every segment.
    const media = await backend.media.resolve(url.pathname)
    if (!media) return notFound()
    const file = await net.fetch(pathToFileURL(media.file).href)
    if (!file.ok) return notFound()
    return new Response(file.body, {
      headers: { 'Content-Type': media.contentType, 'Cache-Control': 'private, max-age=3600' },
    })
  })
}

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
