import { readdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { DirectoryListing } from '#shared/system'
import { AppError, badRequest } from '#main/core/errors'
import { expandHome } from '../paths'
import type { HandlerContext, HandlerGroup } from './context'

export function systemHandlers({ shell }: HandlerContext): HandlerGroup<'system.pickPath' | 'system.listDir'> {
  return {
    handlers: {
      'system.pickPath': async ({ kind }) => {
        if (!shell.pickPath) throw new AppError('unsupported', 'This shell has no native file dialog')
        return { path: await shell.pickPath(kind) }
      },

      'system.listDir': async ({ path: requested }) => listDirectory(path.resolve(expandHome(requested?.trim() || os.homedir()))),
    },
  }
}

async function listDirectory(dir: string): Promise<DirectoryListing> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    throw badRequest(`Cannot open ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message}`)
  }
  const parent = path.dirname(dir)
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    entries: entries
      .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isFile()))
      .map((e) => ({ name: e.name, kind: e.isDirectory() ? ('dir' as const) : ('file' as const) }))
      .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, 'en', { numeric: true }) : a.kind === 'dir' ? -1 : 1)),
  }
}
