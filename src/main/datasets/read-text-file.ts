import { readFile } from 'node:fs/promises'
import { decodeText, type DecodedText } from './text-decoding'

/** Reads and decodes a text file; `null` when it does not exist. Other I/O errors propagate. */
export async function readTextFile(file: string): Promise<DecodedText | null> {
  try {
    return decodeText(await readFile(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}
