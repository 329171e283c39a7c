import path from 'node:path'
import { detectFormat } from '#main/datasets/detect-format'
import { ImportJobs } from '../import-jobs'
import { expandHome } from '../paths'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

export function importHandlers({ store, events }: HandlerContext): HandlerGroup<'imports.detect' | 'imports.start' | 'imports.cancel'> {
  const imports = new ImportJobs(store, events)
  return {
    handlers: {
      'imports.detect': async ({ path: target }) => {
        if (target === '') return { format: null, reason: 'Enter a folder or file path' }
        return detectFormat(path.resolve(expandHome(target)))
      },

      'imports.start': ({ projectId, path: target, format }) => ({
        jobId: imports.start({ projectId: requireProject(store, projectId), path: path.resolve(expandHome(target)), format }),
      }),

      'imports.cancel': ({ jobId }) => ({ cancelled: imports.cancel(jobId) }),
    },
    dispose: () => imports.cancelAll(),
  }
}
