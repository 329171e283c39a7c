// The back end both shells serve: one set of handlers behind one `dispatch`, one event bus,
// one media resolver. Electron IPC and the HTTP server are thin transports over this.
import path from 'node:path'
import * as v from 'valibot'
import { API, isMethod, type Checked, type Events, type Method, type Reply, type Req, type Res } from '#shared/contract'
import { describeIssues } from '#shared/fields'
import { openStore, type Store } from '#main/db/store'
import { FEATURE_WORKER_ENTRY, forkWorker } from '#main/features/extraction/worker-process'
import { forkTrainer, TRAINER_ENTRY, type LaunchTrainer } from '#main/training/worker/trainer-process'
import { TrainingJobs } from './training-jobs'
import { FeatureTasks } from '#main/features/feature-tasks'
import { AppError, badRequest, toErrorBody } from '#main/core/errors'
import { EventBus } from './event-bus'
import { createHandlers, type Handlers } from './handlers/index'
import { LabelCheckJobs } from './label-check/label-check-jobs'
import { MediaResolver } from './media-resolver'
import { GrantedRoots } from './granted-roots'
import { isReadMethod, readHandlers, type ReadMethod } from './handlers/reads'
import { takesLockFirst } from './handlers/lock-first'
import { writeWhenFree } from '#main/db/write-lock'
import { inlineReads, threadReads, type Reads } from './read-thread/read-client'
import { ensureRanked } from '#main/review/ranking'
import { riskModelOf } from '#main/review/risk'
import type { ShellServices } from './shell-services'
import { threadDeleter } from './write-thread/thread-deleter'

/** The shell connection's page cache with a read thread, in KiB (see createBackend). */
const SHELL_CACHE_KIB = 2000

export interface BackendOptions {
  dbPath: string
  shell: ShellServices
  /** better-sqlite3 native binding to load (Electron needs one built for its ABI). */
  nativeBinding?: string
  /** Tests only: a module of fake encoders for the feature worker (see `PairSource.pairModule`). */
  pairModule?: string
  /** Tests only: starts the trainer (to watch or kill its process). */
  launchTrainer?: LaunchTrainer
  /** Tests only: how often this process says it still owns its runs and label checks (OWNER_BEAT_MS). */
  ownerBeatMs?: number
  /**
   * Heavy reads (review pages, project stats, grid pages) in a worker thread with its own read-only
   * connection, off this event loop: the shells and the benches say yes; the CLI and most tests
   * answer on the one connection.
   */
  readThread?: boolean
}

export interface Backend {
  readonly store: Store
  readonly events: EventBus
  readonly media: MediaResolver
  /** Feature work in worker processes (the CLI runs extraction and the probe through it too). */
  readonly features: FeatureTasks
  /** Training runs in trainer processes (the CLI's `train` too). */
  readonly runs: TrainingJobs
  /** Answers a request from a transport: an unknown method or a payload its schema refuses is a `bad-request` naming the field. */
  dispatch(method: unknown, payload: unknown): Promise<Reply<Method>>
  /** The same, for callers inside the back end (the CLI, tests): the payload is checked all the same; errors throw. */
  call<M extends Method>(method: M, payload: Req<M>): Promise<Res<M>>
  /** Where the heavy reads run (the read thread, or this connection); `rank` stores a run's review order. */
  readonly reads: Reads
  /** Label checks running in worker threads. */
  readonly labelChecks: LabelCheckJobs
  /**
   * Cancels the work in flight and closes the store, at once. The promise settles once the threads
   * that work ran on have ended: a shell quitting waits for it (electron/index.ts), since a thread
   * ended under sharp can take the process down.
   */
  close(): Promise<void>
}

export function createBackend(options: BackendOptions): Backend {
  const store = openStore(options.dbPath, { nativeBinding: options.nativeBinding })
  const events = new EventBus()
  const media = new MediaResolver(store)
  const { launchProcess } = options.shell
  const features = new FeatureTasks({
    dbPath: store.path,
    nativeBinding: options.nativeBinding,
    launch: launchProcess ? () => launchProcess(FEATURE_WORKER_ENTRY) as ReturnType<typeof forkWorker> : forkWorker,
    pairModule: options.pairModule,
  })
  const inline = inlineReads(
    readHandlers(store),
    (runId) => {
      if (store.db.open) ensureRanked(store.review, runId, riskModelOf(store.runs.calibration(runId)))
    },
    () => {
      if (store.db.open) store.db.pragma('wal_checkpoint(PASSIVE)')
    },
  )
  const reads = options.readThread ? threadReads({ dbPath: store.path, nativeBinding: options.nativeBinding }, inline) : inline
  if (options.readThread) {
    // With the heavy reads on the thread, this connection keeps SQLite's own default page cache (2 MB)
    // rather than better-sqlite3's 16 MB: another process's commit empties it, and the first
    // transaction after a trainer's large write spent 60–130 ms doing so on this loop with 16 MB
    // cached (a label's BEGIN; 10–21 ms with 2 MB in a two-process reproduction).
    store.db.pragma(`cache_size = -${SHELL_CACHE_KIB}`)
    // The labels' checkpoints (checkpoint.ts) run on the read thread's connection: their fsyncs leave this loop.
    store.delegateCheckpoints(() => void reads.checkpoint().catch(() => undefined))
  }
  // Deleting a project or a run reaches every row under it: on a thread of its own, off this loop.
  const deletes = threadDeleter({ dbPath: store.path, nativeBinding: options.nativeBinding })
  const runs = new TrainingJobs({
    store,
    events,
    features,
    nativeBinding: options.nativeBinding,
    deletes,
    reads,
    ...(options.ownerBeatMs ? { ownerBeatMs: options.ownerBeatMs } : {}),
    launch: options.launchTrainer ?? (launchProcess ? () => launchProcess(TRAINER_ENTRY) as ReturnType<typeof forkTrainer> : forkTrainer),
  })
  // Prediction sets a killed trainer left half-written (hidden) go now, a chunk of rows at a time.
  void runs.discardAbandonedPredictions().catch(() => undefined)
  const roots = new GrantedRoots(options.shell.roots ? [...options.shell.roots, path.dirname(store.path)] : null)
  const labelChecks = new LabelCheckJobs(store, events, options.nativeBinding, options.ownerBeatMs)
  const handlers: Handlers = createHandlers({ store, events, shell: options.shell, features, runs, roots, labelChecks, nativeBinding: options.nativeBinding, deletes, reads })
  // A finished run is ranked for review at once (off this loop when there is a read thread), so
  // its first review page is a paged read rather than a sort of every pseudo-label.
  const unsubscribe = events.subscribe((event, payload) => {
    if (event === 'runs.finished' && (payload as Events['runs.finished']).status === 'done') {
      reads.rank((payload as Events['runs.finished']).runId).catch(() => undefined)
    }
  })

  async function call<M extends Method>(method: M, payload: Req<M>): Promise<Res<M>> {
    // Every payload passes its schema before any handler runs: the browser-mode API is reachable
    // by any local program, so the types alone prove nothing at run time.
    const parsed = v.safeParse(API[method].request, payload, { abortPipeEarly: true })
    if (!parsed.success) throw badRequest(describeIssues(method, parsed.issues))
    if (isReadMethod(method)) return (await reads.call(method, parsed.output)) as Res<M>
    // The read thread may hold the write lock for a moment, starting the WAL afresh: wait for it here, off the loop.
    const hold = reads.writeHold()
    if (hold) await hold
    const handler = handlers[method as Exclude<M, ReadMethod>] as (p: Checked<M>) => Promise<Res<M>> | Res<M>
    const answer = () => handler(parsed.output as Checked<M>)
    // A write waits for another process's lock off this loop (handlers/lock-first.ts).
    return await (takesLockFirst(method) ? writeWhenFree(store.db, answer) : answer())
  }

  return {
    store,
    events,
    media,
    features,
    runs,
    call,
    async dispatch(method, payload) {
      try {
        if (!isMethod(method)) throw new AppError('bad-request', `Unknown method: ${String(method)}`)
        return { ok: true, result: await call(method, payload) }
      } catch (err) {
        return { ok: false, error: toErrorBody(err) }
      }
    },
    reads,
    labelChecks,
    close() {
      unsubscribe()
      reads.close()
      const ended = handlers.dispose()
      store.close()
      return ended
    },
  }
}
