import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { OTHER_FILES_LISTED, TABLE_FILE, type DirectoryListing } from '#shared/system'
import { AppError, badRequest } from '#main/core/errors'
import { sortNatural } from '#main/core/natural-order'
import { folderEntries } from '#main/core/folder-entries'
import { isInsideOrAt, type GrantedRoots } from '../granted-roots'
import type { HandlerContext, HandlerGroup } from './context'

export function systemHandlers({ shell, roots }: HandlerContext): HandlerGroup<'system.pickPath' | 'system.listDir' | 'system.makeDir'> {
  return {
    handlers: {
      'system.pickPath': async ({ kind, purpose, start }) => {
        if (!shell.pickPath) throw new AppError('unsupported', 'This shell has no native file dialog')
        return { path: await shell.pickPath(kind, purpose, start?.trim() || undefined) }
      },

      'system.listDir': async ({ path: requested }) => {
        const start = requested?.trim() || (await roots.list())[0] || os.homedir()
        const dir = await roots.existing(start, 'path').catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'bad-request' && /does not exist$/.test(err.message)) throw badRequest(`Cannot open ${start}: no such folder`)
          throw err
        })
        return listDirectory(dir, await parentWithin(roots, dir))
      },

      'system.makeDir': async ({ parent, name }) => {
        const problem = badFolderName(name)
        if (problem) throw badRequest(`name: ${problem}`)
        const where = await roots.existing(parent, 'parent')
        const target = await roots.target(path.join(where, name), 'name')
        try {
          await mkdir(target)
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'EEXIST') throw new AppError('conflict', `name: "${name}" already exists in ${where}`)
          if (code === 'ENOTDIR') throw badRequest(`parent: ${where} is a file, not a folder`)
          throw badRequest(`Cannot create ${target}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message}`)
        }
        return { path: target }
      },
    },
  }
}

/** Why a new folder may not have this name, or null: one name, not a path, and not hidden (the browser would not list it). */
function badFolderName(name: string): string | null {
  if (/[/\\]/.test(name)) return `"${name}" is a path; give one folder name, without / or \\`
  if (name === '.' || name === '..') return `"${name}" names no new folder`
  if (name.startsWith('.')) return `"${name}" starts with a dot, so the folder would be hidden`
  if (name.includes('\0')) return 'the name holds a NUL character'
  return null
}

/** The folder above, when the user may go there: at a granted root the way up ends. */
async function parentWithin(roots: GrantedRoots, dir: string): Promise<string | null> {
  const parent = path.dirname(dir)
  if (parent === dir) return null
  if (!roots.limited) return parent
  return (await roots.list()).some((root) => isInsideOrAt(root, parent)) ? parent : null
}

async function listDirectory(dir: string, parent: string | null): Promise<DirectoryListing> {
  // Folders and data tables always; other files (a data set's images and texts) only while few:
  // sorting and sending 100,000 of them held the loop seconds and the dialog longer.
  const dirs: string[] = []
  const tables: string[] = []
  const others: string[] = []
  let otherCount = 0
  try {
    for await (const e of await folderEntries(dir)) {
      if (e.name.startsWith('.')) continue
      if (e.isDirectory()) dirs.push(e.name)
      else if (!e.isFile()) continue
      else if (TABLE_FILE.test(e.name)) tables.push(e.name)
      else if (++otherCount <= OTHER_FILES_LISTED) others.push(e.name)
    }
  } catch (err) {
    throw badRequest(`Cannot open ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message}`)
  }
  const listed = otherCount <= OTHER_FILES_LISTED
  const files = await sortNatural([...tables, ...(listed ? others : [])])
  return {
    path: dir,
    parent,
    entries: [...(await sortNatural(dirs)).map((name) => ({ name, kind: 'dir' as const })), ...files.map((name) => ({ name, kind: 'file' as const }))],
    unlisted: listed ? 0 : otherCount,
  }
}
