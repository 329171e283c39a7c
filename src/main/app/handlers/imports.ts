import path from 'node:path'
import { IMPORT_FORMATS } from '#shared/imports'
import { detectFormat } from '#main/datasets/detect-format'
import { badRequest } from '#main/core/errors'
import { ImportJobs } from '../import-jobs'
import { expandHome } from '../paths'
import * as v from '../validate'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

export function importHandlers({ store, events }: HandlerContext): HandlerGroup<'imports.detect' | 'imports.start' | 'imports.cancel'> {
  const imports = new ImportJobs(store, events)
  return {
    handlers: {
      'imports.detect': async (payload) => {
        const target = v.text(v.object(payload, 'imports.detect'), 'path')!.trim()
        if (target === '') return { format: null, reason: 'Enter a folder or file path' }
        return detectFormat(path.resolve(expandHome(target)))
      },

      'imports.start': (payload) => {
        const p = v.object(payload, 'imports.start')
        const projectId = requireProject(store, p, 'imports.start')
        const target = v.text(p, 'path')!.trim()
        if (target === '') throw badRequest('path: enter the folder or file to import')
        const format = v.oneOf(p, 'format', IMPORT_FORMATS)
        return { jobId: imports.start({ projectId, path: path.resolve(expandHome(target)), format }) }
      },

      'imports.cancel': (payload) => ({ cancelled: imports.cancel(v.text(v.object(payload, 'imports.cancel'), 'jobId')!) }),
    },
    dispose: () => imports.cancelAll(),
  }
}
