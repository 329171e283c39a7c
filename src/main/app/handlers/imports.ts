import { detectFormat } from '#main/datasets/detect-format'
import { AppError } from '#main/core/errors'
import { ImportJobs } from '../import-jobs'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

export function importHandlers({ store, events, roots, nativeBinding }: HandlerContext): HandlerGroup<'imports.detect' | 'imports.start' | 'imports.cancel'> {
  const imports = new ImportJobs({ dbPath: store.path, nativeBinding }, events, roots)
  return {
    handlers: {
      'imports.detect': async ({ path: target }) => {
        if (target === '') return { format: null, reason: 'Enter a folder or file path' }
        try {
          return await detectFormat(await roots.existing(target, 'path'))
        } catch (err) {
          // Said while the user types: a reason to show, not a failure.
          if (err instanceof AppError) return { format: null, reason: err.message.replace(/^path: /, '') }
          throw err
        }
      },

      'imports.start': async ({ projectId, path: target, format }) => ({
        jobId: imports.start({ projectId: requireProject(store, projectId), path: await roots.existing(target, 'path'), format }),
      }),

      'imports.cancel': ({ jobId }) => ({ cancelled: imports.cancel(jobId) }),
    },
    dispose: () => imports.stop(),
  }
}
