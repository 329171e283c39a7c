import { open, rename, unlink } from 'node:fs/promises'

/**
 * Writes `chunks` to a temporary file beside `file`, then renames it over `file`: a reader sees
 * the old file or the whole new one, and a failure (or a crash) leaves no half-written export.
 */
export async function writeChunksAtomic(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`
  const handle = await open(temp, 'wx')
  try {
    for await (const chunk of chunks) await handle.write(chunk)
    await handle.sync()
    await handle.close()
    await rename(temp, file)
  } catch (err) {
    await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw err
  }
}
