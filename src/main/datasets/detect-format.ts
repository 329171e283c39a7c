import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ImportFormat } from '#shared/imports'
import { isImageFile } from '#main/media/content-type'
import { MVSA_LABEL_FILE } from './read-mvsa'

export interface Detection {
  format: ImportFormat | null
  reason: string
}

const FILE_FORMATS: Record<string, ImportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'label-studio' }
const FORMAT_NAMES: Record<string, string> = { csv: 'CSV', jsonl: 'JSONL', 'label-studio': 'Label Studio JSON' }

/** Guesses the format from what is at `target`, and says why, for the import dialog. */
export async function detectFormat(target: string): Promise<Detection> {
  let info
  try {
    info = await stat(target)
  } catch {
    return { format: null, reason: `Nothing found at ${target}` }
  }
  if (info.isFile()) {
    const format = FILE_FORMATS[path.extname(target).toLowerCase()]
    return format
      ? { format, reason: `${path.basename(target)} is a ${FORMAT_NAMES[format]} file` }
      : { format: null, reason: 'Pick a .csv, .jsonl or Label Studio .json file, or a folder' }
  }
  const names = await readdir(target)
  if (names.includes(MVSA_LABEL_FILE) || names.includes('data')) {
    const dataNames = names.includes('data') ? await readdir(path.join(target, 'data')).catch(() => []) : []
    if (names.includes(MVSA_LABEL_FILE) || dataNames.some((n) => n.endsWith('.txt'))) {
      return { format: 'mvsa', reason: `MVSA layout: ${names.includes(MVSA_LABEL_FILE) ? MVSA_LABEL_FILE + ' and ' : ''}a data folder` }
    }
  }
  const images = names.filter(isImageFile).length
  const texts = names.filter((n) => n.toLowerCase().endsWith('.txt')).length
  if (images > 0 && texts > 0) return { format: 'folder', reason: `A folder of ${images} images and ${texts} texts` }
  const tables = names.filter((n) => FILE_FORMATS[path.extname(n).toLowerCase()])
  if (tables.length > 0) return { format: null, reason: `This folder holds ${tables.join(', ')}: pick the file itself` }
  return { format: null, reason: 'No MVSA layout, no image+text pairs, and no CSV, JSONL or JSON file here' }
}
