import { rm } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '#main/core/errors'
import { readAppVersion } from '../version'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type ProjectMethods = 'app.info' | 'projects.list' | 'projects.create' | 'projects.delete' | 'projects.folders'

export function projectHandlers({ store, events, shell, deletes }: HandlerContext): HandlerGroup<ProjectMethods> {
  return {
    handlers: {
      'app.info': () => ({
        name: 'Common Ground',
        version: readAppVersion(),
        shell: shell.shell,
        dbPath: store.path,
        schemaVersion: store.schemaVersion,
        nativeDialogs: shell.pickPath !== undefined,
      }),

      'projects.list': () => store.projects.list(),

      'projects.create': ({ name, description }) => {
        if (store.projects.byName(name)) throw new AppError('conflict', `A project named "${name}" already exists`)
        const created = store.projects.create(name, description)
        events.emit('projects.changed', { projectId: created.id })
        return created
      },

      'projects.delete': async ({ projectId }) => {
        const id = requireProject(store, projectId)
        const deleted = await deletes({ what: 'project', id })
        // Thumbnails are derived data beside the store; the user's own files are never touched.
        await rm(path.dirname(store.thumbnailDir(id)), { recursive: true, force: true })
        events.emit('projects.changed', { projectId: id })
        return { deleted }
      },


      // Sources record the import's folder (a file's own folder for CSV/JSONL), a real path.
      'projects.folders': ({ projectId }) => ({ importFolder: store.sources.latestRoot(requireProject(store, projectId)) }),

    },
  }
}
