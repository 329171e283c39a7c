// Every request of the contract, answered from the store and the services. Both shells call
// these through `Backend.dispatch`; nothing here knows which shell asked.
import { readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Api, Method } from '../../shared/contract'
import { IMPORT_FORMATS, SENTIMENTS, SPLITS, type DirectoryListing } from '../../shared/domain'
import type { Store } from '../db/store'
import { detectFormat } from '../datasets/detect-format'
import { AppError, badRequest, notFound } from './errors'
import type { EventBus } from './event-bus'
import { ImportJobs } from './import-jobs'
import type { ShellServices } from './backend'
import * as v from './validate'
import { readAppVersion } from './version'

type HandlerMap = { [M in Method]: (payload: Api[M]['req']) => Promise<Api[M]['res']> | Api[M]['res'] }
export type Handlers = HandlerMap & { dispose(): void }

export interface HandlerContext {
  store: Store
  events: EventBus
  shell: ShellServices
}

export const MAX_PAGE = 500
const NAME_MAX = 100

export function createHandlers({ store, events, shell }: HandlerContext): Handlers {
  const imports = new ImportJobs(store, events)

  const projectId = (payload: unknown, method: string): number => {
    const id = v.id(v.object(payload, method), 'projectId')
    if (!store.projects.exists(id)) throw notFound(`No project with id ${id}`)
    return id
  }

  return {
    'app.info': () => ({
      name: 'Common Ground',
      version: readAppVersion(),
      shell: shell.shell,
      dbPath: store.path,
      schemaVersion: store.schemaVersion,
      nativeDialogs: shell.pickPath !== undefined,
    }),

    'projects.list': () => store.projects.list(),

    'projects.create': (payload) => {
      const p = v.object(payload, 'projects.create')
      const name = v.text(p, 'name', { max: NAME_MAX })!.trim()
      if (name === '') throw badRequest('name: a project needs a name')
      if (store.projects.byName(name)) throw new AppError('conflict', `A project named "${name}" already exists`)
      const created = store.projects.create(name, v.text(p, 'description', { optional: true, max: 2000 }) ?? '')
      events.emit('projects.changed', { projectId: created.id })
      return created
    },

    'projects.delete': async (payload) => {
      const id = projectId(payload, 'projects.delete')
      const deleted = store.projects.delete(id)
      // Thumbnails are derived data beside the store; the user's own files are never touched.
      await rm(path.dirname(store.thumbnailDir(id)), { recursive: true, force: true })
      events.emit('projects.changed', { projectId: id })
      return { deleted }
    },

    'projects.stats': (payload) => store.stats.forProject(projectId(payload, 'projects.stats')),

    'posts.page': (payload) => {
      const p = v.object(payload, 'posts.page')
      return store.posts.page({
        projectId: projectId(p, 'posts.page'),
        offset: v.int(p, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
        limit: v.int(p, 'limit', 1, MAX_PAGE, 100),
        split: v.oneOf(p, 'split', SPLITS),
        overall: v.oneOf(p, 'overall', [...SENTIMENTS, 'unlabeled' as const]),
      })
    },

    'imports.detect': async (payload) => {
      const target = v.text(v.object(payload, 'imports.detect'), 'path')!.trim()
      if (target === '') return { format: null, reason: 'Enter a folder or file path' }
      return detectFormat(path.resolve(expandHome(target)))
    },

    'imports.start': (payload) => {
      const p = v.object(payload, 'imports.start')
      const id = projectId(p, 'imports.start')
      const target = v.text(p, 'path')!.trim()
      if (target === '') throw badRequest('path: enter the folder or file to import')
      const jobId = imports.start({ projectId: id, path: path.resolve(expandHome(target)), format: v.oneOf(p, 'format', IMPORT_FORMATS) })
      return { jobId }
    },

    'imports.cancel': (payload) => ({ cancelled: imports.cancel(v.text(v.object(payload, 'imports.cancel'), 'jobId')!) }),

    'system.pickPath': async (payload) => {
      const kind = v.oneOf(v.object(payload, 'system.pickPath'), 'kind', ['folder', 'file'] as const) ?? 'folder'
      if (!shell.pickPath) throw new AppError('unsupported', 'This shell has no native file dialog')
      return { path: await shell.pickPath(kind) }
    },

    'system.listDir': async (payload) => {
      const requested = v.text(v.object(payload ?? {}, 'system.listDir'), 'path', { optional: true })
      return listDirectory(path.resolve(expandHome(requested?.trim() || os.homedir())))
    },

    dispose: () => imports.cancelAll(),
  }
}

const expandHome = (p: string): string => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p)

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
