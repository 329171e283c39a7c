// What the feature worker does with a start message: run the task (opening its own connection to
// the store where it needs one) and answer with the outcome. Errors become a `failed` message,
// never a crash.
import { pathToFileURL } from 'node:url'
import { openDatabase } from '#main/db/store'
import { BACKGROUND_BUSY_TIMEOUT_MS } from '#main/db/write-lock'
import { describePair } from '../describe-pair'
import { checkOnnxFolder } from '../encoder-choices'
import type { EncoderPair } from '../encoder'
import type { ExtractionConfig, FromWorker, PairSource, StartMessage, WorkerProgress } from '../extraction-protocol'
import { runProbe } from '../probe/run-probe'
import { runExtraction } from './run-extraction'
import { extractRegions } from '../regions/extract-regions'

export interface TaskContext {
  stopRequested(): boolean
  progress(progress: WorkerProgress): void
}

/** Loads the pair, runs `use`, and releases the encoders' runtimes whatever happens. */
async function withPair<T>(source: PairSource, use: (pair: EncoderPair) => Promise<T>): Promise<T> {
  const registry = (source.pairModule ? await import(pathToFileURL(source.pairModule).href) : await import('../registry')) as {
    loadEncoderPair(id: string): Promise<EncoderPair>
  }
  const pair = await registry.loadEncoderPair(source.encoder)
  try {
    return await use(pair)
  } finally {
    await Promise.all([pair.image.dispose(), pair.text.dispose()])
  }
}

async function extract(config: ExtractionConfig, ctx: TaskContext): Promise<FromWorker> {
  ctx.progress({ phase: 'loading', done: 0, total: 0, postsPerSecond: null, etaMs: null })
  return withPair(config, async (pair) => {
    const db = openDatabase(config.dbPath, { nativeBinding: config.nativeBinding, busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS })
    try {
      const { stopped, summary } = await runExtraction({ db, pair, ...config, stopRequested: ctx.stopRequested, onProgress: ctx.progress })
      if (stopped || !config.regions) return stopped ? { type: 'cancelled', result: summary } : { type: 'done', result: summary }
      const regions = await extractRegions(db, describePair(pair), { ...config, regions: config.regions }, ctx)
      return { type: regions.stopped ? 'cancelled' : 'done', result: { ...summary, regions: regions.summary } }
    } finally {
      db.close()
    }
  })
}

async function run(message: StartMessage, ctx: TaskContext): Promise<FromWorker> {
  switch (message.task) {
    case 'check':
      return { type: 'done', result: await checkOnnxFolder(message.config.folder) }
    case 'describe':
      return { type: 'done', result: await withPair(message.config, async (pair) => describePair(pair)) }
    case 'extract':
      return extract(message.config, ctx)
    case 'probe': {
      const { config } = message
      const db = openDatabase(config.dbPath, { nativeBinding: config.nativeBinding, busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS })
      try {
        return { type: 'done', result: runProbe(db, config.projectId, config.pair) }
      } finally {
        db.close()
      }
    }
  }
}

export async function runTask(message: StartMessage, ctx: TaskContext): Promise<FromWorker> {
  try {
    return await run(message, ctx)
  } catch (err) {
    return { type: 'failed', error: err instanceof Error ? err.message : String(err) }
  }
}
