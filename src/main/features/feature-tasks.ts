// The feature work the back end hands to worker processes: describing a pair (its encoders' ids
// and dimensions), extracting, probing. Shared by the handlers and the CLI.
import type { EncoderPairInfo, ExtractionSummary, OnnxFolderCheck, ProbeReport } from '#shared/features'
import type { WorkerProgress } from './extraction-protocol'
import type { LaunchWorker } from './extraction/worker-process'
import { runWorkerTask, type RunningTask, type TaskOutcome } from './extraction/worker-task'

/** Seeds every augmented view. Fixed: a view's name does not carry its seed. */
export const VIEW_SEED = 1
export const BATCH_SIZE = 32

export interface FeatureTaskOptions {
  dbPath: string
  nativeBinding?: string
  launch: LaunchWorker
  /** Tests: a module of fake encoders for the worker to load (see `PairSource.pairModule`). */
  pairModule?: string
}

/** A worker task that failed or was cancelled where only an answer would do. */
export class FeatureTaskError extends Error {
  override name = 'FeatureTaskError'
}

function resultOf<R>(outcome: TaskOutcome<R>): R {
  if (outcome.outcome === 'done') return outcome.result
  throw new FeatureTaskError(outcome.outcome === 'failed' ? outcome.error : 'cancelled')
}

export class FeatureTasks {
  /** Pairs described so far: loading one to learn its ids costs seconds. */
  private readonly described = new Map<string, Promise<EncoderPairInfo>>()

  constructor(private readonly options: FeatureTaskOptions) {}

  private get store() {
    return { dbPath: this.options.dbPath, nativeBinding: this.options.nativeBinding }
  }

  describe(encoder: string): Promise<EncoderPairInfo> {
    let pending = this.described.get(encoder)
    if (!pending) {
      const task = runWorkerTask(this.options.launch, { type: 'start', task: 'describe', config: { encoder, pairModule: this.options.pairModule } })
      pending = task.outcome.then(resultOf)
      this.described.set(encoder, pending)
      // A failure is not remembered: the folder may be fixed, the next ask tries again.
      pending.catch(() => this.described.delete(encoder))
    }
    return pending
  }

  /** Checks an ONNX folder, and forgets what was known of its pair: the folder may have changed. */
  async checkFolder(folder: string): Promise<OnnxFolderCheck> {
    const check = resultOf(await runWorkerTask(this.options.launch, { type: 'start', task: 'check', config: { folder } }).outcome)
    if (check.encoder) this.described.delete(check.encoder)
    return check
  }

  async probe(projectId: number, encoder: string): Promise<ProbeReport> {
    const pair = await this.describe(encoder)
    return resultOf(await runWorkerTask(this.options.launch, { type: 'start', task: 'probe', config: { ...this.store, projectId, pair } }).outcome)
  }

  /** `regions`: a grid side (2, 3) to extract the image region rows on after the pair's vectors; undefined = none. */
  extract(projectId: number, encoder: string, views: number, regions: number | undefined, onProgress: (progress: WorkerProgress) => void): RunningTask<ExtractionSummary> {
    const config = { ...this.store, projectId, encoder, views, seed: VIEW_SEED, batchSize: BATCH_SIZE, pairModule: this.options.pairModule, ...(regions ? { regions } : {}) }
    const task = runWorkerTask(this.options.launch, { type: 'start', task: 'extract', config }, onProgress)
    // A run that loaded the pair has described it on the way.
    void task.outcome.then((o) => {
      if (o.outcome !== 'failed' && o.result) this.described.set(encoder, Promise.resolve(o.result.pair))
    })
    return task
  }
}
