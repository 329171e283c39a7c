// Label checks in flight, one per project, each in its own worker thread so the shell's event loop
// never waits on the fit; progress and the outcome go out as events, the result is stored a chunk
// of rows per transaction (LabelChecksRepo.finish). Cancel terminates the thread, or stops the
// store: nothing of the check is kept but its row, marked cancelled.
import type { Worker } from 'node:worker_threads'
import type { Store } from '#main/db/store'
import { canonicalPairId } from '#main/features/built-in-pairs'
import { LABEL_CHECK_DEFAULTS } from '#main/review/label-errors'
import { startThread } from '#main/workers/thread'
import { AppError } from '#main/core/errors'
import { EtaEstimator } from '#main/core/eta'
import { beatWhileOwning, recordedProcessAlive } from '#main/core/process-alive'
import { writeWhenFree } from '#main/db/write-lock'
import type { EventBus } from '../event-bus'
import type { FromCheckThread } from './protocol'

const ENTRY = 'app/label-check/label-check-thread.ts'

interface Job {
  projectId: number
  worker: Worker
  /** Settles when the check has ended, whichever way. */
  ended: Promise<void>
  cancelled: boolean
  /** The thread has answered and its list is being stored (LabelChecksRepo.finish). */
  storing: boolean
  /** Aborts that store. */
  stop: AbortController
}

export class LabelCheckJobs {
  private readonly running = new Map<number, Job>()
  /** Says, while this process runs any, that it still runs them: another back end opening the store leaves them be. */
  private readonly beats: { wake(): void }

  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly nativeBinding?: string,
    ownerBeatMs?: number,
  ) {
    store.labelChecks.abandonRunning(recordedProcessAlive)
    this.beats = beatWhileOwning(
      () => [...this.running.keys()],
      (ids) => writeWhenFree(store.db, () => store.labelChecks.beat(ids, process.pid)),
      ownerBeatMs,
    )
  }

  start(projectId: number, encoder = 'default'): number {
    for (const job of this.running.values()) {
      if (job.projectId === projectId) throw new AppError('conflict', 'A label check is already running for this project; cancel it or wait for it to finish')
    }
    const pair = canonicalPairId(encoder)
    const checkId = this.store.labelChecks.create(projectId, pair, LABEL_CHECK_DEFAULTS)
    const worker = startThread(ENTRY, { dbPath: this.store.path, nativeBinding: this.nativeBinding, input: { projectId, encoder: pair } })
    let settle: () => void = () => undefined
    const job: Job = { projectId, worker, ended: new Promise((resolve) => (settle = resolve)), cancelled: false, storing: false, stop: new AbortController() }
    this.running.set(checkId, job)
    this.beats.wake()
    let done = false
    const eta = new EtaEstimator()
    const finish = (status: 'done' | 'failed' | 'cancelled', error: string | null): void => {
      if (done) return
      done = true
      this.running.delete(checkId)
      if (this.store.db.open) {
        if (status !== 'done') this.store.labelChecks.end(checkId, status, error)
        const listed = this.store.labelChecks.summary(checkId)?.listed ?? 0
        this.events.emit('labelCheck.finished', { checkId, projectId, status, listed, ...(error ? { error } : {}) })
      }
      void worker.terminate()
      settle()
    }
    worker.on('message', (message: FromCheckThread) => {
      if (message.kind === 'progress') {
        const { phase, done, total } = message
        this.events.emit('labelCheck.progress', { checkId, projectId, phase, done, total, etaMs: eta.update(phase, done, total) })
      }
      else if (message.kind === 'failed') finish('failed', message.error)
      else {
        // The list is stored a chunk at a time off the thread (which is done): its exit now ends nothing, a cancel stops the write.
        job.storing = true
        this.store.labelChecks.finish(checkId, message.result.checked, message.result.items, { signal: job.stop.signal }).then(
          () => finish('done', null),
          (err: Error) => finish(job.cancelled ? 'cancelled' : 'failed', job.cancelled ? null : err.message),
        )
      }
    })
    worker.on('error', (err) => {
      if (!job.storing) finish('failed', err.message)
    })
    worker.on('exit', () => {
      if (!job.storing) finish(job.cancelled ? 'cancelled' : 'failed', job.cancelled ? null : 'the check stopped before it finished')
    })
    return checkId
  }

  cancel(checkId: number): boolean {
    const job = this.running.get(checkId)
    if (!job) return false
    job.cancelled = true
    job.stop.abort()
    void job.worker.terminate()
    return true
  }

  /** Resolves when the check has ended (at once when it is not running). */
  async wait(checkId: number): Promise<void> {
    await this.running.get(checkId)?.ended
  }

  cancelAll(): void {
    for (const id of this.running.keys()) this.cancel(id)
  }
}
