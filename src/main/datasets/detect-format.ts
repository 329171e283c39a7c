import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ImportFormat } from '#shared/imports'
import { isImageFile, isTextFile } from '#main/media/content-type'
import { MVSA_LABEL_FILE } from './read-mvsa'
import { folderEntries } from '#main/core/folder-entries'
import { loopTurns } from '#main/core/loop-turns'

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
  // Read a thousand entries at a time with turns of the loop: the import dialog asks as soon as a
  // folder is picked, and a folder of 100,000 posts held the loop ~0.1 s through readdir.
  let images = 0
  let texts = 0
  let labelFile = false
  let dataFolder = false
  const tables: string[] = []
  const turn = loopTurns()
  for await (const { name } of await folderEntries(target)) {
    await turn()
    if (name === MVSA_LABEL_FILE) labelFile = true
    else if (name === 'data') dataFolder = true
    if (isImageFile(name)) images++
    else if (isTextFile(name)) texts++
    else if (FILE_FORMATS[path.extname(name).toLowerCase()]) tables.push(name)
  }
  if (labelFile || (dataFolder && (await holdsText(path.join(target, 'data'))))) {
    return { format: 'mvsa', reason: `MVSA layout: ${labelFile ? MVSA_LABEL_FILE + ' and ' : ''}a data folder` }
  }
  if (images > 0 && texts > 0) return { format: 'folder', reason: `A folder of ${counted(images, 'image')} and ${counted(texts, 'text')}` }
  if (tables.length > 0) return { format: null, reason: `This folder holds ${tables.join(', ')}: pick the file itself` }
  return { format: null, reason: 'No MVSA layout, no image+text pairs, and no CSV, JSONL or JSON file here' }
}

const counted = (n: number, noun: string): string => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`

/** Whether `dir` is a folder holding a .txt file (it stops at the first). */
async function holdsText(dir: string): Promise<boolean> {
  try {
    for await (const { name } of await folderEntries(dir)) if (isTextFile(name)) return true
  } catch {
    // not a folder, or not readable: no MVSA data folder
  }
  return false
}
