// Where an export may be written: the folder it goes into must exist (nothing is created
// silently in the wrong place), a labels file must not be a folder, a model folder must be new or empty.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { AppError, badRequest } from '#main/core/errors'
import { isEmptyFolder } from '#main/core/folder-entries'

async function kindOf(p: string): Promise<'file' | 'dir' | null> {
  const info = await stat(p).catch(() => null)
  return info === null ? null : info.isDirectory() ? 'dir' : 'file'
}

async function requireParent(target: string, field: string): Promise<void> {
  const parent = path.dirname(target)
  const kind = await kindOf(parent)
  if (kind === null) throw badRequest(`${field}: the folder ${parent} does not exist`)
  if (kind !== 'dir') throw badRequest(`${field}: ${parent} is a file, not a folder`)
}

/** A labels file to write (replaced if it exists). */
export async function checkExportFile(file: string, field = 'path'): Promise<void> {
  await requireParent(file, field)
  if ((await kindOf(file)) === 'dir') throw badRequest(`${field}: ${file} is a folder; give a file name, e.g. ${path.join(file, 'labels.json')}`)
}

/** A model folder to create: absent, or an empty folder. */
export async function checkExportFolder(folder: string, field = 'path'): Promise<void> {
  await requireParent(folder, field)
  const kind = await kindOf(folder)
  if (kind === 'file') throw badRequest(`${field}: ${folder} is a file; give a folder to create`)
  if (kind === 'dir' && !(await isEmptyFolder(folder))) throw new AppError('conflict', `${field}: the folder ${folder} is not empty; give a new or empty folder`)
}
