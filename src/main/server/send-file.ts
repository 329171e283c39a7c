import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { sendNotFound } from './respond'

export interface FileHeaders {
  contentType: string
  cacheControl: string
}

/** Streams a regular file (headers only for HEAD); 404 when it is gone or not a file. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: FileHeaders): Promise<void> {
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return sendNotFound(res)
  res.writeHead(200, {
    'Content-Type': headers.contentType,
    'Content-Length': info.size,
    'Cache-Control': headers.cacheControl,
    'Last-Modified': info.mtime.toUTCString(),
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  // A client that hangs up mid-file is not an error worth reporting.
  await pipeline(createReadStream(file), res).catch(() => res.destroy())
}
