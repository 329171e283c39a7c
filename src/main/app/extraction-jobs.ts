import { randomUUID } from 'node:crypto'
import type { ExtractionProgress } from '#shared/features'
import type { FeatureTasks } from '#main/features/feature-tasks'
import type { RunningTask } from '#main/features/extraction/worker-task'
import { AppError } from '#main/core/errors'
import type { EventBus } from './event-bus'

interface Job {
  projectId: number
  task: RunningTask<unknown>
  progress: ExtractionProgress
}

/** Extractions in flight, one per project, each in its own worker; progress and outcome go out as events. */
export class ExtractionJobs {
  private readonly running = new Map<string, Job>()

  constructor(
    private readonly tasks: FeatureTasks,
    private readonly events: EventBus,
  ) {}

  /** `regions`: the image region grid to extract after the pair's vectors (text-guided fusion), if any. */
  start(projectId: number, encoder: string, views: number, regions?: number): string {
    const busy = this.current(projectId)
    if (busy) throw new AppError('conflict', `An extraction is already running for this project (${busy.encoder}); cancel it or wait for it to finish`)
    const jobId = randomUUID()
    const progress: ExtractionProgress = { jobId, projectId, encoder, phase: 'starting', done: 0, total: 0, postsPerSecond: null, etaMs: null }
    const task = this.tasks.extract(projectId, encoder, views, regions, (update) => {
      job.progress = { ...job.progress, ...update }
      this.events.emit('features.progress', job.progress)
    })
    const job: Job = { projectId, task, progress }
    this.running.set(jobId, job)
    void task.outcome.then((o) => {
      this.running.delete(jobId)
      const base = { jobId, projectId, encoder, outcome: o.outcome }
      if (o.outcome === 'failed') this.events.emit('features.finished', { ...base, error: o.error })
      else this.events.emit('features.finished', { ...base, ...(o.result ? { summary: o.result } : {}) })
    })
    return jobId
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId)
    job?.task.cancel()
    return job !== undefined
  }

  /** The progress of the project's running extraction, if there is one. */
  current(projectId: number): ExtractionProgress | null {
    for (const job of this.running.values()) if (job.projectId === projectId) return job.progress
    return null
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.task.cancel()
  }
}
