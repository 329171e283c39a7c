import { readFile, realpath, stat } from 'node:fs/promises'
import { isWithin } from '#main/core/safe-path'
import type { Origin } from './candidate'
import type { ProblemLog } from './problems'
import { decodeText, MAX_TEXT_CHARS, normalisePostText, type DecodedText } from './text-decoding'

export type TextFileRead =
  | { kind: 'text'; decoded: DecodedText }
  | { kind: 'missing' }
  /** A symlink (or a path) leading out of the data set: not read. */
  | { kind: 'outside'; real: string }
  /** Larger than any post text could be: not read. */
  | { kind: 'too-large'; bytes: number }

/**
 * Reads and decodes a post's text file, only when its real path lies inside `realRoot` (the data
 * set's folder, already resolved) and it is not absurdly large. Other I/O errors propagate.
 */
export async function readTextFile(file: string, realRoot: string): Promise<TextFileRead> {
  let real: string
  try {
    real = await realpath(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    throw err
  }
  if (!isWithin(realRoot, real)) return { kind: 'outside', real }
  // Four bytes per character at most in UTF-8 and GB18030.
  const { size } = await stat(real)
  if (size > MAX_TEXT_CHARS * 4) return { kind: 'too-large', bytes: size }
  return { kind: 'text', decoded: decodeText(await readFile(real)) }
}

/** A post's text from its own file, or null with the problem logged under the post's id. */
export async function postText(file: string, realRoot: string, id: string, origin: Origin, log: ProblemLog): Promise<string | null> {
  const read = await readTextFile(file, realRoot)
  switch (read.kind) {
    case 'missing':
      log.error('missing-text', { file }, `No text file for post ${id}`, id)
      return null
    case 'outside':
      log.error('path-outside-dataset', { file }, `The text of post ${id} leads to ${read.real}, outside ${realRoot}; not read`, id)
      return null
    case 'too-large':
      log.error('text-too-long', { file }, `The text of post ${id} is ${read.bytes} bytes; a post's text may have at most ${MAX_TEXT_CHARS} characters. Post refused`, id)
      return null
    case 'text':
      if (read.decoded.encoding === 'undecodable') {
        log.warn('undecodable-text', origin.line === undefined ? { file } : origin, `The text of post ${id} is neither UTF-8 nor GB18030; unreadable bytes became U+FFFD (�). Check its encoding`, id)
      }
      return normalisePostText(read.decoded.text)
  }
}
