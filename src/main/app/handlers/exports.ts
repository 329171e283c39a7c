// Export: labels as CSV, JSONL or Label Studio JSON; a run's model as TensorFlow.js and ONNX.
import { existsSync } from 'node:fs'
import type { ExportRun } from '#main/db/export-repo'
import { exportLabels } from '#main/exports/export-labels'
import { exportModel, modelFolderOf } from '#main/exports/export-model'
import { checkExportFile, checkExportFolder } from '#main/exports/output-paths'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { readAppVersion } from '../version'
import { runCalibration } from './run-calibration'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type ExportMethods = 'exports.labels' | 'exports.model'

export function exportHandlers({ store, roots }: HandlerContext): HandlerGroup<ExportMethods> {
  /** A request's path: absolute (a leading ~ is the user's home), its folder real and granted. */
  const targetOf = (raw: string): Promise<string> => roots.target(raw, 'path')

  function requireRun(runId: number): ExportRun {
    const run = store.exports.run(runId)
    if (!run) throw notFound(`No run with id ${runId}`)
    return run
  }

  return {
    handlers: {
      'exports.labels': async ({ projectId, format, runId, path: raw }) => {
        requireProject(store, projectId)
        const run = runId === undefined ? null : requireRun(runId)
        if (run && run.projectId !== projectId) throw badRequest(`runId: run ${run.id} belongs to another project (${run.projectId}), not ${projectId}`)
        const file = await targetOf(raw)
        await checkExportFile(file)
        return exportLabels(store, { projectId, format, file, run })
      },

      'exports.model': async ({ runId, path: raw }) => {
        const run = requireRun(runId)
        const source = modelFolderOf(store.runDir(run.projectId, run.id))
        if (!existsSync(source)) {
          throw new AppError('not-found', `Run ${run.id} has no saved model (status ${run.status}); a model is saved when a run finishes`)
        }
        const target = await targetOf(raw)
        await checkExportFolder(target)
        return exportModel(run, source, target, { appVersion: readAppVersion(), calibration: runCalibration(store, run.id) })
      },
    },
  }
}
