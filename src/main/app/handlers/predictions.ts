// Predict: a finished run (of any project) or an exported model folder applied to a project's
// posts through the ONNX head; the sets listed; a set exported as CSV.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { exportPredictions } from '#main/exports/export-predictions'
import { checkExportFile } from '#main/exports/output-paths'
import { modelFolderOf } from '#main/exports/export-model'
import { readModelMetadata } from '#main/training/onnx/model-metadata'
import type { PredictWork } from '#main/training/onnx/predict-posts'
import type { PredictModelRef } from '#main/training/worker/trainer-protocol'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { EtaEstimator, reportThrottle } from '#main/core/eta'
import { expandHome } from '../paths'
import { readAppVersion } from '../version'
import { runCalibration } from './run-calibration'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type PredictMethods = 'predict.run' | 'predict.cancel' | 'exports.predictions'

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

  return {
    handlers: {
      'predict.run': async ({ projectId, runId, modelPath }) => {
        requireProject(store, projectId)
        const model = modelOf(runId, modelPath)
        const eta = new EtaEstimator()
        // A report per chunk of each phase: at most ~10 events a second, plus each phase's start and the end.
        const due = reportThrottle()
        let lastPhase = ''
        const progress = ({ phase, done, total }: PredictWork): void => {
          const changed = phase !== lastPhase
          lastPhase = phase
          if (!due(changed || done === total)) return
          // One estimate over the three phases (a post counts once in each): their rates are alike.
          events.emit('predict.progress', { projectId, phase, done, total, etaMs: eta.update('predict', done, total) })
        }
        const ended = await runs.predict({ projectId, model }, progress)
        // Another window (or this one after a reload) follows the predict through its events.
        if (ended.outcome === 'done') {
          events.emit('predict.finished', { projectId, outcome: 'done', setId: ended.set.id })
          events.emit('projects.changed', { projectId })
          return ended.set
        }
        events.emit('predict.finished', { projectId, outcome: ended.outcome, ...(ended.outcome === 'failed' ? { error: ended.error } : {}) })
        throw new AppError('conflict', ended.outcome === 'failed' ? ended.error : ended.reason)
      },
      'predict.cancel': ({ projectId }) => ({ cancelled: runs.cancelPredict(requireProject(store, projectId)) }),
      'exports.predictions': async ({ setId, path: raw }) => {
        if (!store.predictions.summary(setId)) throw notFound(`No prediction set with id ${setId}`)
        const file = path.resolve(expandHome(raw))
        await checkExportFile(file)
        return exportPredictions(store.predictions, setId, file)
      },
    },
  }
}
