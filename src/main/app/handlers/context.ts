import type { Method } from '#shared/contract'
import type { Store } from '#main/db/store'
import type { FeatureTasks } from '#main/features/feature-tasks'
import type { TrainingJobs } from '../training-jobs'
import type { LabelCheckJobs } from '../label-check/label-check-jobs'
import type { ShellServices } from '../shell-services'
import type { EventBus } from '../event-bus'
import type { GrantedRoots } from '../granted-roots'
import type { Handler } from './lookups'
import type { Deleter } from '../write-thread/thread-deleter'
import type { Reads } from '../read-thread/read-client'
import type { ReadMethod } from './reads'

/**
 * The handlers of every method the shell answers itself. The heavy reads (ReadMethod) are not among
 * them: `reads` answers those, on the read thread or the shell's connection, from reads.ts alone.
 */
export type HandlerMap = { [M in Exclude<Method, ReadMethod>]: Handler<M> }

/** What one area's handlers (projects, imports, system, …) answer, and what they release on close. */
export interface HandlerGroup<M extends Exclude<Method, ReadMethod>> {
  handlers: { [K in M]: Handler<K> }
  /** Cancels the area's work at once; a promise it returns settles once that work's threads have ended. */
  dispose?: () => void | Promise<void>
}

export interface HandlerContext {
  store: Store
  events: EventBus
  shell: ShellServices
  /** Worker-process work on features: describing encoder pairs, extraction, the probe. */
  features: FeatureTasks
  /** Training runs in trainer processes, one at a time per project. */
  runs: TrainingJobs
  /** Label checks in worker threads, one at a time per project. */
  labelChecks: LabelCheckJobs
  /** Where paths named by requests may lead (see granted-roots.ts). */
  roots: GrantedRoots
  /** The better-sqlite3 binary that threads opening their own connection load (Electron's); Node's own when absent. */
  nativeBinding?: string
  /** Deletes a project or a run whole, off the shell's event loop (app/write-thread). */
  deletes: Deleter
  /** Where the heavy reads run (the read thread, or the shell's connection): handlers ask it for the heavy part of their answer (PartReads). */
  reads: Reads
}
