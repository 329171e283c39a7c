import { rm } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '#main/core/errors'
import { readAppVersion } from '../version'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type ProjectMethods = 'app.info' | 'projects.list' | 'projects.create' | 'projects.update' | 'projects.delete' | 'projects.folders'

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

      // A new name is refused when another project has it (names are case-blind, as on the command line's --project).
      'projects.update': ({ projectId, name, description }) => {
        const id = requireProject(store, projectId)
        const other = store.projects.byName(name)
        if (other && other.id !== id) throw new AppError('conflict', `A project named "${other.name}" already exists`)
        const updated = store.projects.update(id, name, description)!
        events.emit('projects.changed', { projectId: id })
        return updated
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
