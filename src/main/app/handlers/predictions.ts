// Predict: a finished run (of any project) or an exported model folder applied to a project's
// posts through the ONNX head; the sets listed; a set exported as CSV.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { exportPredictions } from '#main/exports/export-predictions'
import { checkExportFile } from '#main/exports/output-paths'
import { modelFolderOf } from '#main/exports/export-model'
import { readModelMetadata } from '#main/training/onnx/model-metadata'
import type { PredictModelRef } from '#main/training/worker/trainer-protocol'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { expandHome } from '../paths'
import { readAppVersion } from '../version'
import { runCalibration } from './run-calibration'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'
import { readHandlers } from './reads'

type PredictMethods = 'predict.run' | 'predict.list' | 'exports.predictions'

export function predictionHandlers({ store, events, runs }: HandlerContext): HandlerGroup<PredictMethods> {
  /** The model a request names, checked here so a bad one answers at once; the trainer process loads it. */
  function modelOf(runId: number | undefined, modelPath: string | undefined): PredictModelRef {
    if (runId !== undefined) {
      const run = store.exports.run(runId)
      if (!run) throw notFound(`No run with id ${runId}`)
      const folder = modelFolderOf(store.runDir(run.projectId, run.id))
      if (run.status !== 'done' || !existsSync(folder)) throw new AppError('conflict', `runId: run ${run.id} is ${run.status}; only a finished run has a model to predict with`)
      return { kind: 'run', folder, run: { id: run.id, method: run.method, preset: run.preset, finishedAt: run.finishedAt }, appVersion: readAppVersion(), calibration: runCalibration(store, run.id) }
    }
    const folder = path.resolve(expandHome(modelPath!))
    try {
      readModelMetadata(folder)
      return { kind: 'folder', folder }
    } catch (err) {
      throw badRequest(`modelPath: ${(err as Error).message}`)
    }
  }

  const reads = readHandlers(store)
  return {
    handlers: {
      'predict.run': async ({ projectId, runId, modelPath }) => {
        requireProject(store, projectId)
        const set = await runs.predict({ projectId, model: modelOf(runId, modelPath) })
        events.emit('projects.changed', { projectId })
        return set
      },
      'predict.list': reads['predict.list'],
      'exports.predictions': async ({ setId, path: raw }) => {
        if (!store.predictions.summary(setId)) throw notFound(`No prediction set with id ${setId}`)
        const file = path.resolve(expandHome(raw))
        await checkExportFile(file)
        return exportPredictions(store.predictions, setId, file)
      },
    },
  }
}
