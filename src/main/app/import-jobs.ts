import { randomUUID } from 'node:crypto'
import { reportToSend, type ImportRequest } from '#shared/imports'
import type { Store } from '#main/db/store'
import { ImportInputError, runImport } from '#main/datasets/run-import'
import { EtaEstimator, reportThrottle } from '#main/core/eta'
import type { EventBus } from './event-bus'
import type { GrantedRoots } from './granted-roots'
import { threadImportWriter } from './write-thread/thread-import-writer'

/** Imports in flight, each cancellable; their progress and outcome go out as events. */
export class ImportJobs {
  private readonly running = new Map<string, AbortController>()

  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly roots: GrantedRoots,
    private readonly nativeBinding?: string,
  ) {}

  start(request: ImportRequest): string {
    const jobId = randomUUID()
    const controller = new AbortController()
    this.running.set(jobId, controller)
    const { projectId } = request
    const eta = new EtaEstimator()
    // A progress event per image would flood the socket: at most ~10 a second, plus phase ends.
    const due = reportThrottle()
    void runImport({
      store: this.store,
      projectId,
      path: request.path,
      format: request.format,
      signal: controller.signal,
      mayRead: (folder) => this.roots.contains(folder),
      // The one transaction off the shell's event loop: ~8 s at 100,000 posts.
      write: threadImportWriter({ dbPath: this.store.path, nativeBinding: this.nativeBinding }),
      onProgress: ({ phase, done, total }) => {
        if (!due(done === total)) return
        this.events.emit('imports.progress', { jobId, projectId, phase, done, total, etaMs: eta.update(phase, done, total) })
      },
    })
      .then((report) => {
        this.events.emit('imports.finished', { jobId, projectId, outcome: 'done', report: reportToSend(report) })
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

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort()
  }
}
