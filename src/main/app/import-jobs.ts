import { randomUUID } from 'node:crypto'
// sharp is loaded here, on the main thread, before any import's thread loads it: a library it
// opens would otherwise be closed with the first thread to end, under the others (sharp's advice
// for worker threads, issue 2263).
import 'sharp'
import type { Worker } from 'node:worker_threads'
import type { ImportRequest } from '#shared/imports'
import { ImportInputError } from '#main/datasets/run-import'
import { EtaEstimator } from '#main/core/eta'
import { startThread } from '#main/workers/thread'
import type { EventBus } from './event-bus'
import type { GrantedRoots } from './granted-roots'
import { importOnThread } from './import-thread/on-import-thread'
import type { WriteThreadConnection } from './write-thread/on-write-thread'

/** Imports in flight, each on a thread of its own and cancellable; their progress and outcome go out as events. */
export class ImportJobs {
  private readonly running = new Map<string, AbortController>()
  /** Each import thread's end, from its start until it has ended (it outlives its answer while images it started are decoded). */
  private readonly threads = new Set<Promise<void>>()

  constructor(
    /** The store the import threads open their own connections to. */
    private readonly connection: WriteThreadConnection,
    private readonly events: EventBus,
    private readonly roots: GrantedRoots,
    /** Starts a thread (tests: to watch it). */
    private readonly startThreadOn = startThread,
  ) {}

  start(request: ImportRequest): string {
    const jobId = randomUUID()
    const controller = new AbortController()
    this.running.set(jobId, controller)
    const { projectId } = request
    const eta = new EtaEstimator()
    void importOnThread(
      this.connection,
      {
        request: { projectId, path: request.path, format: request.format },
        roots: this.roots.given,
        signal: controller.signal,
        // The thread sends at most ~10 a second, plus each phase's start and end.
        onProgress: ({ phase, done, total }) => {
          this.events.emit('imports.progress', { jobId, projectId, phase, done, total, etaMs: eta.update(phase, done, total) })
        },
      },
      (entry, data) => this.watched(this.startThreadOn(entry, data)),
    )
      .then((report) => {
        this.events.emit('imports.finished', { jobId, projectId, outcome: 'done', report })
        this.events.emit('projects.changed', { projectId })
      })
      .catch((err: unknown) => {
        const cancelled = controller.signal.aborted
        const message = err instanceof Error ? err.message : String(err)
        const error = err instanceof ImportInputError ? message : `Import failed: ${message}`
        this.events.emit('imports.finished', { jobId, projectId, outcome: cancelled ? 'cancelled' : 'failed', ...(cancelled ? {} : { error }) })
      })
      .finally(() => this.running.delete(jobId))
    return jobId
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId)
    if (!controller) return false
    controller.abort()
    return true
  }

  /**
   * Cancels every import and resolves once each one's thread has ended. An app that quits must
   * wait for this: a thread ended from outside while sharp decodes can take the process down
   * (sharp's issue 2263), and a cancelled one ends by itself within the images it has started.
   */
  async stop(): Promise<void> {
    for (const controller of this.running.values()) controller.abort()
    await Promise.all(this.threads)
  }

  private watched(thread: Worker): Worker {
    const ended = new Promise<void>((resolve) => thread.once('exit', () => resolve()))
    this.threads.add(ended)
    void ended.then(() => this.threads.delete(ended))
    return thread
  }
}
