// Export: labels as CSV, JSONL or Label Studio JSON; a run's model as a TensorFlow.js folder.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { EXPORT_FORMATS } from '#shared/exports'
import type { ExportRun } from '#main/db/export-repo'
import { exportLabels } from '#main/exports/export-labels'
import { exportModel, modelFolderOf } from '#main/exports/export-model'
import { checkExportFile, checkExportFolder } from '#main/exports/output-paths'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { expandHome } from '../paths'
import * as v from '../validate'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

type ExportMethods = 'exports.labels' | 'exports.model'

const PATH_MAX = 4096

export function exportHandlers({ store }: HandlerContext): HandlerGroup<ExportMethods> {
  /** The payload's path, absolute (a leading ~ is the user's home). */
  function targetOf(p: v.Payload): string {
    const raw = v.text(p, 'path', { max: PATH_MAX })!.trim()
    if (raw === '') throw badRequest('path: required')
    return path.resolve(expandHome(raw))
  }

  function requireRun(runId: number): ExportRun {
    const run = store.exports.run(runId)
    if (!run) throw notFound(`No run with id ${runId}`)
    return run
  }

  return {
    handlers: {
      'exports.labels': async (payload) => {
        const p = v.object(payload, 'exports.labels')
        const projectId = requireProject(store, p, 'exports.labels')
        const format = v.requiredOneOf(p, 'format', EXPORT_FORMATS)
        const run = p.runId === undefined || p.runId === null ? null : requireRun(v.id(p, 'runId'))
        if (run && run.projectId !== projectId) throw badRequest(`runId: run ${run.id} belongs to another project (${run.projectId}), not ${projectId}`)
        const file = targetOf(p)
        await checkExportFile(file)
        return exportLabels(store, { projectId, format, file, run })
      },

      'exports.model': async (payload) => {
        const p = v.object(payload, 'exports.model')
        const run = requireRun(v.id(p, 'runId'))
        const source = modelFolderOf(store.runDir(run.projectId, run.id))
        if (!existsSync(source)) {
          throw new AppError('not-found', `Run ${run.id} has no saved model (status ${run.status}); a model is saved when a run finishes`)
        }
        const target = targetOf(p)
        await checkExportFolder(target)
        return exportModel(run, source, target)
      },
    },
  }
}
