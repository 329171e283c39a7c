import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SENTIMENTS, SPLITS } from '#shared/vocabulary'
import { AppError, badRequest } from '#main/core/errors'
import * as v from '../validate'
import { readAppVersion } from '../version'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

export const MAX_PAGE = 500
const NAME_MAX = 100

type ProjectMethods = 'app.info' | 'projects.list' | 'projects.create' | 'projects.delete' | 'projects.stats' | 'posts.page'

export function projectHandlers({ store, events, shell }: HandlerContext): HandlerGroup<ProjectMethods> {
  return {
    handlers: {
      'app.info': () => ({
        name: 'Common Ground',
        version: readAppVersion(),
        shell: shell.shell,
        dbPath: store.path,
        schemaVersion: store.schemaVersion,
        nativeDialogs: shell.pickPath !== undefined,
        user: osUserName(),
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
        const id = requireProject(store, payload, 'projects.delete')
        const deleted = store.projects.delete(id)
        // Thumbnails are derived data beside the store; the user's own files are never touched.
        await rm(path.dirname(store.thumbnailDir(id)), { recursive: true, force: true })
        events.emit('projects.changed', { projectId: id })
        return { deleted }
      },

      'projects.stats': (payload) => store.stats.forProject(requireProject(store, payload, 'projects.stats')),

      'posts.page': (payload) => {
        const p = v.object(payload, 'posts.page')
        return store.posts.page({
          projectId: requireProject(store, p, 'posts.page'),
          offset: v.int(p, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
          limit: v.int(p, 'limit', 1, MAX_PAGE, 100),
          split: v.oneOf(p, 'split', SPLITS),
          overall: v.oneOf(p, 'overall', [...SENTIMENTS, 'unlabeled' as const]),
        })
      },
    },
  }
}

/** The account running the back end; some containers have no passwd entry for it. */
function osUserName(): string {
  try {
    return os.userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? ''
  }
}
