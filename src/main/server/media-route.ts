import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Backend } from '#main/app/backend'
import { allowReadOnly, sendNotFound } from './respond'
import { sendFile } from './send-file'

/**
 * `GET /media/<mediaPath>`: project images, resolved only inside the project's own folders.
 * Every refusal is a plain 404, so a probe learns nothing about the file system.
 */
export async function serveMedia(req: IncomingMessage, res: ServerResponse, backend: Backend, mediaPath: string): Promise<void> {
  if (!allowReadOnly(req.method, res)) return
  const media = await backend.media.resolve(mediaPath)
  if (!media) return sendNotFound(res)
  return sendFile(req, res, media.file, { contentType: media.contentType, cacheControl: 'private, max-age=3600' })
}
