// Predict: a finished run (of any project) or an exported model folder applied to a project's
// posts through the ONNX head; the sets listed; a set exported as CSV.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { exportPredictions } from '#main/exports/export-predictions'
import { checkExportFile } from '#main/exports/output-paths'
import { modelFolderOf } from '#main/exports/export-model'
import { modelOfFolder, modelOfRun, predictPosts, type PredictModel } from '#main/training/onnx/predict-posts'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { expandHome } from '../paths'
import { readAppVersion } from '../version'
import { runCalibration } from './run-calibration'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

type PredictMethods = 'predict.run' | 'predict.list' | 'exports.predictions'

export function predictionHandlers({ store, events }: HandlerContext): HandlerGroup<PredictMethods> {
  function modelOf(runId: number | undefined, modelPath: string | undefined): PredictModel {
    if (runId !== undefined) {
      const run = store.exports.run(runId)
      if (!run) throw notFound(`No run with id ${runId}`)
      const folder = modelFolderOf(store.runDir(run.projectId, run.id))
      if (run.status !== 'done' || !existsSync(folder)) throw new AppError('conflict', `runId: run ${run.id} is ${run.status}; only a finished run has a model to predict with`)
      return modelOfRun(folder, { id: run.id, method: run.method, preset: run.preset, finishedAt: run.finishedAt }, readAppVersion(), runCalibration(store, run.id))
    }
    const folder = path.resolve(expandHome(modelPath!))
    try {
      return modelOfFolder(folder)
    } catch (err) {
      throw badRequest(`modelPath: ${(err as Error).message}`)
    }
  }

  return {
    handlers: {
      'predict.run': async ({ projectId, runId, modelPath }) => {
        requireProject(store, projectId)
        const model = modelOf(runId, modelPath)
        let outcome
        try {
          outcome = await predictPosts(store.db, store.predictions, { projectId, model, runId: runId ?? null, modelPath: modelPath === undefined ? null : path.resolve(expandHome(modelPath)) })
        } catch (err) {
          throw new AppError('conflict', (err as Error).message)
        }
        events.emit('projects.changed', { projectId })
        return store.predictions.summary(outcome.setId)!
      },
      'predict.list': ({ projectId }) => store.predictions.list(requireProject(store, projectId)),
      'exports.predictions': async ({ setId, path: raw }) => {
        if (!store.predictions.summary(setId)) throw notFound(`No prediction set with id ${setId}`)
        const file = path.resolve(expandHome(raw))
        await checkExportFile(file)
        return exportPredictions(store.predictions, setId, file)
      },
    },
  }
}
