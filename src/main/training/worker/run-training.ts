// What the trainer process does with a queued run: read its request and config from the row, load
// the labels and cached features, train with checkpoints beside the store, then write the model
// (folder renamed into place) and every result with the 'done' status in one transaction.
// Whatever stops it — a problem in the data, a cancel, an error — is written on the run.
import type { Database } from 'better-sqlite3'
import type { CurvePoint, RunSubset } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { mediaRootOf, runDir, unmap } from '#main/db/store'
import { RunsRepo, type RunResults } from '#main/db/runs-repo'
import { poolMemoryBytes } from '../cached-pool'
import { loadTrainingData, resolvePair, type LabelRequest } from '../load-data'
import { runSteps } from '../config'
import { regionInfo } from '#main/features/regions/region-grid'
import { initBackend } from '#main/ml/tfjs-backend'
import { train, TrainingStopped, type Progress, type TrainResult } from '../trainer'
import { checkpointCurves, checkpointFiles, writeModel } from './run-files'
import { storedPseudoLabels } from './stored-pseudo-labels'
import { runTeacherLogits } from './run-teacher'
import { onnxTeacherForRun } from './onnx-teacher-run'
import { TeacherCancelled } from '../teacher/onnx-teacher'
import type { RunTeacherLogits } from '../teacher/teacher'
import type { FromTrainer, TrainerProgress, TrainTask } from './trainer-protocol'

export interface TrainerContext {
  signal: AbortSignal
  progress(progress: TrainerProgress): void
}

/** At most this many progress messages a second (and always the last step and every evaluation). */
const PROGRESS_PER_SECOND = 5

/** The teacher's label per unlabeled post it read, as stored (the labeled subset's posts left out, as for pseudo-labels). */
export function teacherLabelRows(result: TrainResult, labeled: Set<number>): NonNullable<RunResults['teacherLabels']> {
  return (result.teacherLabels ?? []).filter((t) => !labeled.has(t.postId)).map((t) => ({ postId: t.postId, label: CONFUSION_ORDER[t.label]!, confidence: t.confidence, kept: t.kept }))
}

/**
 * Relays the trainer's progress at most PROGRESS_PER_SECOND times a second (and at every evaluation
 * and the last step); each message carries the curve points of every step since the previous one.
 */
function throttled(ctx: TrainerContext): (p: Progress) => void {
  let last = 0
  let pending: CurvePoint[] = []
  return ({ points, ...where }) => {
    pending.push(...points)
    const evaluated = points.some((point) => point.series === 'val.accuracy' || point.series === 'test.accuracy')
    const now = Date.now()
    if (now - last < 1000 / PROGRESS_PER_SECOND && where.step < where.steps && !evaluated) return
    last = now
    ctx.progress({ ...where, phase: 'training', points: pending })
    pending = []
  }
}

const sameIds = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

export async function trainTask(db: Database, task: TrainTask, ctx: TrainerContext): Promise<FromTrainer> {
  const runs = new RunsRepo(db)
  const { runId } = task
  const info = runs.launchInfo(runId)
  if (!info) return { type: 'failed', error: `no run with id ${runId}` }
  const dir = runDir(mediaRootOf(task.dbPath), info.projectId, runId)
  const checkpoint = checkpointFiles(dir, (step, elapsedMs) => runs.setStep(runId, step, elapsedMs))
  /** A stopped run keeps the curves of the checkpoint its resume continues from (none: it starts again from zero). */
  const stop = (status: 'failed' | 'cancelled', error: string | null): void => {
    runs.end(runId, status, error, checkpointCurves(dir))
  }
  const fail = (error: string): FromTrainer => {
    stop('failed', error)
    return { type: 'failed', error }
  }
  if (runs.status(runId) !== 'queued') return { type: 'failed', error: `run ${runId} is ${runs.status(runId)}, not queued` }
  try {
    ctx.progress({ step: 0, steps: 0, epoch: 0, elapsedMs: 0, etaMs: 0, phase: 'loading', points: [] })
    const { config } = info
    const { labels: asked } = info.request
    const labelRequest: LabelRequest = asked.mode === 'draw' ? { mode: 'draw', n: asked.n, draw: asked.draw, seed: config.seed } : { mode: 'current' }
    // Runs made before text-guided fusion existed have no `fusion`: concatenation.
    const regions = config.fusion === 'text-guided' ? { regions: config.tgf.grid } : {}
    // A large pool stays in the feature cache, read a batch at a time through this connection (open until the run ends).
    const loaded = loadTrainingData(db, { projectId: info.projectId, encoder: task.pair, labels: labelRequest, priorSample: config.prior?.sample ?? 0, pool: 'auto', poolMemoryBytes: poolMemoryBytes(), ...regions })
    if (loaded.problems.length > 0) return fail(loaded.problems.join('; '))
    // A resume must train on the very posts the run started with.
    if (info.subset && !sameIds(info.subset.postIds, loaded.subset.ids)) {
      return fail('the project\'s labels changed since this run started, so its labeled subset cannot be drawn again: start a new run')
    }
    const subset: RunSubset = { ...labelRequest, seed: config.seed, postIds: loaded.subset.ids, perClass: loaded.subset.perClass }
    const backend = await initBackend()
    if (!runs.markRunning(runId, { backend: backend.name, backendReason: backend.reason, subset, labels: loaded.labelsUsed })) {
      return { type: 'failed', error: `run ${runId} was taken by another trainer` }
    }
    let result: TrainResult
    try {
      const teacherRun: RunTeacherLogits | null =
        config.teacher?.source === 'run'
          ? runTeacherLogits(db, info.projectId, config.teacher.run)
          : config.teacher?.source === 'onnx'
            ? await onnxTeacherForRun(db, info.projectId, config.teacher.folder, loaded.data, ctx)
            : null
      result = await train({
        config,
        data: loaded.data,
        ...(teacherRun ? { teacherRun } : {}),
        signal: ctx.signal,
        onProgress: throttled(ctx),
        checkpoint,
      })
    } catch (err) {
      if (err instanceof TeacherCancelled) {
        stop('cancelled', null)
        return { type: 'cancelled', result: { step: 0, elapsedMs: 0 } }
      }
      if (!(err instanceof TrainingStopped)) throw err
      stop('cancelled', null)
      return { type: 'cancelled', result: { step: err.step, elapsedMs: 0 } }
    }
    ctx.progress({ step: runSteps(config), steps: runSteps(config), epoch: result.epoch, elapsedMs: result.elapsedMs, etaMs: 0, phase: 'saving', points: [] })
    // The pool is read: the writes go unmapped (trainer-worker.ts maps the store for reads). A file
    // that grows under a mapping is remapped at each checkpoint the chunked writes make, which held
    // a 500-row transaction up to ~1 s at 100,000 posts (`npm run bench pseudo-labelling`).
    unmap(db)
    const { scalers } = loaded
    const pair = resolvePair(task.pair)
    const region = config.fusion === 'text-guided' ? regionInfo(pair, config.tgf.grid) : null
    writeModel(dir, result.artifacts, {
      encoder: pair.id,
      encoders: { text: { id: pair.text.id, dim: pair.text.dim }, image: { id: pair.image.id, dim: pair.image.dim }, ...(region ? { regions: { id: region.id, dim: region.dim } } : {}) },
      standardize: scalers && {
        text: { mean: Array.from(scalers.txt.mean), inverseStd: Array.from(scalers.txt.inverseStd) },
        image: { mean: Array.from(scalers.img.mean), inverseStd: Array.from(scalers.img.inverseStd) },
      },
    })
    const selected = result.metrics.selected
    await runs.saveResults(runId, {
      step: runSteps(config),
      selectedStep: selected.step,
      elapsedMs: result.elapsedMs,
      reports: { ...(selected.val ? { val: selected.val } : {}), ...(selected.test ? { test: selected.test } : {}) },
      curves: result.curves,
      pseudoLabels: storedPseudoLabels(result.pseudoLabels, new Set(loaded.subset.ids)),
      prior: result.prior,
      teacher: result.teacher ?? null,
      teacherLabels: teacherLabelRows(result, new Set(loaded.subset.ids)),
      calibration: result.calibration,
    })
    return { type: 'done', result: { step: runSteps(config), elapsedMs: result.elapsedMs } }
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err))
  }
}
