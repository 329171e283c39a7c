// The built renderer: real files from rendererDir, index.html for app routes (SPA fallback).
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { contentTypeOf } from '#main/media/content-type'
import { resolveInside } from '#main/core/safe-path'
import { allowReadOnly, sendNotFound, sendText } from './respond'
import { sendFile } from './send-file'

const INDEX = 'index.html'
/** Vite puts content-hashed bundles here: their names change with their content. */
const HASHED_ASSETS = 'assets/'

export async function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, rawPath: string): Promise<void> {
  if (!allowReadOnly(req.method, res)) return
  const index = path.join(rendererDir, INDEX)
  if (!(await isFile(index))) return sendText(res, 503, 'The UI is not built: run `npm run build`')

  let relative: string
  try {
    relative = decodeURIComponent(rawPath).replace(/^\/+/, '')
  } catch {
    return sendNotFound(res)
  }
  const file = relative === '' ? index : await resolveInside(rendererDir, relative)
  if (file && (await isFile(file))) {
    const immutable = relative.startsWith(HASHED_ASSETS)
    return sendFile(req, res, file, {
      contentType: contentTypeOf(file),
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
  }
  // A path that names a file (has an extension) and is not there is a 404, not the app.
  if (path.extname(relative) !== '') return sendNotFound(res)
  return sendFile(req, res, index, { contentType: contentTypeOf(index), cacheControl: 'no-cache' })
}

const isFile = async (file: string): Promise<boolean> => (await stat(file).catch(() => null))?.isFile() ?? false
