// Training runs from the back end's side: one run at a time per project, each in its own trainer
// process; progress and the outcome go out as events, and whatever ends the trainer — done, a
// cancel, a crash — leaves the run row with a final status and, on failure, the reason.
import { rm } from 'node:fs/promises'
import type { PredictionSetSummary } from '#shared/predictions'
import { LiveCurve, type RunDetail, type RunFinished, type RunPlan, type RunProgress, type RunRequest, type RunStatus, type RunSummary, type TrainingConfig } from '#shared/runs'
import type { Store } from '#main/db/store'
import { writeWhenFree } from '#main/db/write-lock'
import { canonicalPairId, isBuiltInPair } from '#main/features/built-in-pairs'
import { DEFAULT_ENCODER } from '#main/features/encoder-choices'
import type { FeatureTasks } from '#main/features/feature-tasks'
import { previewPrior } from '#main/training/run-prior'
import { configFromRequest } from '#main/training/run-config'
import { runSteps } from '#main/training/config'
import { runTrainerTask, type LaunchTrainer } from '#main/training/worker/trainer-process'
import type { PairRef, PredictTask } from '#main/training/worker/trainer-protocol'
import type { PredictWork } from '#main/training/onnx/predict-posts'
import type { RunningChild } from '#main/workers/child-task'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { beatWhileOwning, recordedProcessAlive } from '#main/core/process-alive'
import { teacherFolderProblem } from '#main/training/teacher/teacher-folder-files'
import type { EventBus } from './event-bus'
import type { Deleter } from './write-thread/thread-deleter'
import { readPart, type Reads } from './read-thread/read-client'

export interface TrainingJobsOptions {
  store: Store
  events: EventBus
  launch: LaunchTrainer
  /** Describes encoder pairs other than the default (their feature ids and sizes). */
  features: FeatureTasks
  nativeBinding?: string
  /** Deletes a run whole, off the shell's event loop (app/write-thread). */
  deletes: Deleter
  /** Where the plan's reads run (the read thread in the shells: 1.4 s at 100,000 posts). */
  reads: Reads
  /** How often this process says it still owns its runs (core/process-alive.ts; tests shorten it). */
  ownerBeatMs?: number
}

interface Job {
  projectId: number
  task: RunningChild<unknown>
  finished: Promise<RunFinished>
  progress?: RunProgress
  /**
   * What the progress events carried so far: the run's curves are stored only at its end, and a
   * window opened (or reloaded) mid-run must still draw them from the first step.
   */
  curve: LiveCurve
  /** Ends the pause of the shell's checkpoints while the trainer writes the run's results (phase 'saving'). */
  resumeCheckpoints?: () => void
}

/** What a request makes of itself before it starts: the plan, and the config and pair it would start with. */
interface Prepared {
  plan: RunPlan
  config: TrainingConfig | null
  encoder: string
  pair: PairRef
}

const PREDICT_CANCELLED = 'predict was cancelled; nothing of its set was stored'

/** A project's predict in flight: its trainer task once launched, and whether a person asked it to stop. */
interface PredictJob {
  task: RunningChild<PredictionSetSummary> | null
  cancelled: boolean
}

/** How a predict ended. */
export type PredictOutcome = { outcome: 'done'; set: PredictionSetSummary } | { outcome: 'cancelled'; reason: string } | { outcome: 'failed'; error: string }

export class TrainingJobs {
  private readonly running = new Map<number, Job>()
  /** Each project's predict in flight (one at a time). */
  private readonly predicting = new Map<number, PredictJob>()
  /** Says, while this process runs any, that it still owns them: another process tells a crash by the silence. */
  private readonly beats: { wake(): void }

  constructor(private readonly options: TrainingJobsOptions) {
    this.beats = beatWhileOwning(
      () => [...this.running.keys()],
      (ids) => writeWhenFree(this.store.db, () => this.store.runs.beat(ids, process.pid)),
      options.ownerBeatMs,
    )
  }

  private get store(): Store {
    return this.options.store
  }

  private async pairOf(encoder: string): Promise<PairRef> {
    return isBuiltInPair(encoder) ? canonicalPairId(encoder) : this.options.features.describe(encoder)
  }

  /**
   * Marks the project's queued or running runs whose process is gone as failed (the app or the
   * CLI that ran them was closed or crashed), so they stop blocking new runs. Returns what is
   * really still active.
   */
  private reconcile(projectId: number): { id: number; status: RunStatus }[] {
    return this.store.runs.active(projectId).filter((run) => {
      if (this.running.has(run.id)) return true
      // Another process that still runs it: one recorded in an earlier boot of the machine is gone, whatever holds its pid now.
      if (run.owner !== null && run.owner.pid !== process.pid && recordedProcessAlive(run.owner)) return true
      this.store.runs.end(run.id, 'failed', 'the process running it ended before the run finished (the app or the command line was closed or crashed); resume it to continue from its last checkpoint')
      return false
    })
  }

  private refuseIfBusy(projectId: number): void {
    const busy = this.reconcile(projectId)[0]
    if (busy) throw new AppError('conflict', `Run #${busy.id} is already ${busy.status} for this project; one run at a time per project: cancel it or wait for it to finish`)
  }

  private async prepare(request: RunRequest): Promise<Prepared> {
    const { config, problems } = configFromRequest(request)
    const seed = config?.seed ?? request.seed ?? 1
    const labels = request.labels.mode === 'draw' ? { ...request.labels, seed } : request.labels
    // Runs store the versioned pair: 'default' names whatever the default is on the day.
    const encoder = canonicalPairId(request.encoder ?? DEFAULT_ENCODER)
    const pair = await this.pairOf(encoder)
    const regions = config?.fusion === 'text-guided' ? { regions: config.tgf.grid } : {}
    const data = await readPart(this.options.reads, 'runs.data', {
      request: { projectId: request.projectId, encoder: pair, labels, priorSample: config?.prior.sample ?? 0, ...regions },
      grid: config?.tgf.grid ?? 2,
    })
    const all = [...problems, ...data.problems.map((message) => ({ field: message.split(':')[0]!, message }))]
    if (config?.teacher.source === 'run' && this.store.runs.status(config.teacher.run) !== 'done') {
      all.push({ field: 'overrides.teacher.run', message: `overrides.teacher.run: run ${config.teacher.run} is not a finished run, so it cannot teach` })
    }
    if (config?.teacher.source === 'onnx' && config.teacher.folder.trim() !== '') {
      const problem = await teacherFolderProblem(config.teacher.folder)
      if (problem) all.push({ field: 'overrides.teacher.folder', message: problem })
    }
    const prior = config ? previewPrior(config, data.perClass, data.priorSample) : null
    const plan: RunPlan = { ok: all.length === 0, problems: all, labels: data.labelsUsed, notCounted: data.notCounted, featuresReady: data.featuresMissing === 0, featuresMissing: data.featuresMissing, prior, regions: data.regions }
    return { plan, config, encoder, pair }
  }

  /** Validation without starting: config problems by field, the labels it would use, missing features (no vector is read). */
  async plan(request: RunRequest): Promise<RunPlan> {
    return (await this.prepare(request)).plan
  }

  /** Queues the run (one transaction with the busy check) and starts its trainer; a request the plan finds problems in writes nothing. */
  async start(request: RunRequest): Promise<number> {
    const { plan, config, encoder, pair } = await this.prepare(request)
    if (!plan.ok || !config) throw badRequest(plan.problems.map((p) => p.message).join('; '))
    // After the awaits above: the lock is waited for off the loop (handlers/lock-first.ts says why).
    const runId = await writeWhenFree(this.store.db, () => {
      this.refuseIfBusy(request.projectId)
      return this.store.runs.create({
        projectId: request.projectId,
        method: config.method,
        preset: request.preset,
        encoder,
        seed: config.seed,
        steps: runSteps(config),
        request,
        config,
        ownerPid: process.pid,
      })
    }, { atomic: true })
    this.launch(runId, request.projectId, pair)
    return runId
  }

  /** Continues a cancelled or failed run from its last checkpoint, in the same row. */
  async resume(runId: number): Promise<number> {
    const info = this.store.runs.launchInfo(runId)
    if (!info) throw notFound(`No run with id ${runId}`)
    const pair = await this.pairOf(info.encoder)
    await writeWhenFree(
      this.store.db,
      () => {
        this.refuseIfBusy(info.projectId)
        const status = this.store.runs.status(runId)
        if (!this.store.runs.requeue(runId, process.pid)) throw new AppError('conflict', `Run #${runId} is ${status}: only a cancelled or failed run can be resumed`)
      },
      { atomic: true },
    )
    this.launch(runId, info.projectId, pair)
    return runId
  }

  private launch(runId: number, projectId: number, pair: PairRef): void {
    const { store } = this
    const { events } = this.options
    const task = runTrainerTask(
      this.options.launch,
      { type: 'start', task: 'train', config: { dbPath: store.path, nativeBinding: this.options.nativeBinding, runId, pair } },
      ({ points, ...where }) => {
        const progress: RunProgress = { runId, projectId, ...where }
        const job = this.running.get(runId)
        if (job) {
          job.progress = progress
          job.curve.add(points)
          // The trainer writes 100,000s of rows now: the shell's checkpoints wait for it (checkpoint.ts).
          if (where.phase === 'saving') job.resumeCheckpoints ??= store.pauseCheckpoints()
        }
        events.emit('runs.progress', { ...progress, points })
      },
    )
    const finished = task.outcome.then((o): RunFinished => {
      this.running.get(runId)?.resumeCheckpoints?.()
      this.running.delete(runId)
      // The back end closed meanwhile (the trainer was cancelled on the way out): nothing to record.
      if (!store.db.open) return { runId, projectId, status: o.outcome === 'done' ? 'done' : o.outcome }
      // The trainer writes its own ending; these only land when it could not (a crash, a kill).
      if (o.outcome === 'failed') store.runs.end(runId, 'failed', o.error)
      if (o.outcome === 'cancelled') store.runs.end(runId, 'cancelled', null)
      const summary = store.runs.summary(runId)
      const done: RunFinished = { runId, projectId, status: summary?.status ?? (o.outcome === 'done' ? 'done' : o.outcome), ...(summary?.error ? { error: summary.error } : {}) }
      events.emit('runs.finished', done)
      return done
    })
    this.running.set(runId, { projectId, task, finished, curve: new LiveCurve() })
    this.beats.wake()
  }

  cancel(runId: number): boolean {
    const job = this.running.get(runId)
    if (job) {
      job.task.cancel()
      return true
    }
    // Not run by this process: one whose process is gone is marked failed; one another live
    // process runs (the command line) can only be stopped there.
    const projectId = this.store.runs.projectOf(runId)
    if (projectId === null) throw notFound(`No run with id ${runId}`)
    this.reconcile(projectId)
    return false
  }

  /** How the run ended, once it has (null when no trainer of this process runs it). */
  whenFinished(runId: number): Promise<RunFinished> | null {
    return this.running.get(runId)?.finished ?? null
  }

  private withProgress<T extends RunSummary>(run: T): T {
    const progress = this.running.get(run.id)?.progress
    return progress ? { ...run, progress } : run
  }

  list(projectId: number): RunSummary[] {
    this.reconcile(projectId)
    return this.store.runs.list(projectId).map((run) => this.withProgress(run))
  }

  get(runId: number): RunDetail {
    const projectId = this.store.runs.projectOf(runId)
    if (projectId === null) throw notFound(`No run with id ${runId}`)
    this.reconcile(projectId)
    const detail = this.withProgress(this.store.runs.detail(runId)!)
    const live = this.running.get(runId)?.curve
    if (!live) return detail
    // A running run's curves are stored when it ends; one resumed has those of the checkpoint it
    // continues from stored (RunsRepo.end), and streams the steps after them.
    const stored = detail.curves.reduce((max, c) => Math.max(max, c.step), -1)
    return { ...detail, curves: [...detail.curves, ...live.points.filter((p) => p.step > stored)] }
  }

  /** Deletes a run that is not running, with its checkpoint and model. */
  async delete(runId: number): Promise<boolean> {
    const projectId = this.store.runs.projectOf(runId)
    if (projectId === null) return false
    if (this.reconcile(projectId).some((r) => r.id === runId)) throw new AppError('conflict', `Run #${runId} is running: cancel it before deleting it`)
    const deleted = await this.options.deletes({ what: 'run', id: runId })
    if (deleted) await rm(this.store.runDir(projectId, runId), { recursive: true, force: true })
    return deleted
  }

  /**
   * A model applied to a project's posts in a trainer process of its own: at 100,000 posts the
   * vectors' read, the ONNX pass and the set's rows take seconds the shell's event loop cannot give.
   * One at a time per project (a second is refused at once); `onProgress` hears each chunk of each
   * phase. Resolves to how it ended: a cancelled or failed predict has stored nothing.
   */
  async predict(task: Omit<PredictTask, 'dbPath' | 'nativeBinding'>, onProgress: (work: PredictWork) => void = () => undefined): Promise<PredictOutcome> {
    const { projectId } = task
    if (this.predicting.has(projectId)) throw new AppError('conflict', 'A predict is already running for this project: cancel it or wait for it to finish')
    const job: PredictJob = { task: null, cancelled: false }
    this.predicting.set(projectId, job)
    // Taken: from here a cancel reaches it (a window may offer Cancel once it hears this).
    onProgress({ phase: 'starting', done: 0, total: 0 })
    // The trainer writes the set's rows: the shell's checkpoints wait for it (checkpoint.ts).
    const resumeCheckpoints = this.store.pauseCheckpoints()
    try {
      // A set whose writer ended before finishing it (a crash, a kill after an ignored cancel) is hidden; it goes now.
      await this.store.predictions.discardAbandoned(projectId, recordedProcessAlive)
      if (job.cancelled) return { outcome: 'cancelled', reason: PREDICT_CANCELLED }
      job.task = runTrainerTask(this.options.launch, { type: 'start', task: 'predict', config: { dbPath: this.store.path, nativeBinding: this.options.nativeBinding, ...task } }, onProgress)
      const o = await job.task.outcome
      if (o.outcome === 'done') return { outcome: 'done', set: o.result }
      if (o.outcome === 'failed') return o
      return { outcome: 'cancelled', reason: job.cancelled ? PREDICT_CANCELLED : 'predict was cancelled: the back end is closing' }
    } finally {
      this.predicting.delete(projectId)
      resumeCheckpoints()
    }
  }

  /**
   * Deletes the sets whose writer died before finishing them, in every project (the back end's start
   * calls it; they were hidden all along). A set still being written has a live writer and stays.
   */
  async discardAbandonedPredictions(): Promise<number> {
    return await this.store.predictions.discardAbandoned(null, recordedProcessAlive)
  }

  /** Stops the project's predict, if one runs here; its set is not stored. */
  cancelPredict(projectId: number): boolean {
    const job = this.predicting.get(projectId)
    if (!job) return false
    job.cancelled = true
    job.task?.cancel()
    return true
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.task.cancel()
    for (const job of this.predicting.values()) job.task?.cancel()
  }
}
