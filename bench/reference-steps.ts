// What every side-by-side with a PyTorch reference shares (SCDR in training.ts, SPP-SCL, ULGM, the
// teacher, SCDR + SPP-SCL): the port's steps on drawn batches from its initial weights, recorded
// with everything the reference needs to replay them; the reference's run on that fixture; and the
// comparison of their per-step terms, printed as one table.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StepStats } from '#shared/runs'
import { initBackend } from '#main/ml/tfjs-backend'
import { packArrays } from '#main/training/checkpoint'
import { optimizerSettings, type TrainingConfig } from '#main/training/config'
import { drawRows, stackBatch, type Matrix, type TrainingData } from '#main/training/data'
import type { Method } from '#main/training/methods/method'
import { Optimizer } from '#main/training/optimizer'
import { Params } from '#main/training/params'
import { Rng } from '#main/training/rng'
import { cosineFactor } from '#main/training/schedule'
import { trainingStep, type HostBatch } from '#main/training/step'
import type { TeacherTargets } from '#main/training/teacher/teacher'
import { buildMethod, CLASSES } from '#main/training/trainer'
import { benchData } from './bench-data'
import { withScratch, type Figure } from './harness'

/** The start of every side-by-side's run: the training backend up, then the features (cached or synthetic, bench-data.ts), saying which. */
export async function referenceFeatures(): Promise<TrainingData<Matrix>> {
  await initBackend()
  const { data, source } = benchData()
  console.log(`features: ${source}`)
  return data
}

/** A Python with torch, and the environment the reference wants; or why there is none. */
export function findTorch(): { python: string; env: NodeJS.ProcessEnv } | { missing: string } {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8')
  // OPENBLAS_CORETYPE=SkylakeX needs AVX-512 (it dies with SIGILL without); Haswell is the AVX2 kernel.
  const coretype = /\bavx512f\b/.test(cpu) ? 'SkylakeX' : /\bavx2\b/.test(cpu) ? 'Haswell' : undefined
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', ...(coretype ? { OPENBLAS_CORETYPE: coretype } : {}) }
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { env }).status === 0) return { python, env }
  }
  return { missing: 'no python3 with torch (Debian: apt-get install -y python3-torch libopenblas0-pthread)' }
}

export const runReference = <T>(torch: { python: string; env: NodeJS.ProcessEnv }, fixture: string, script: string): T =>
  JSON.parse(execFileSync(torch.python, [script, fixture], { env: torch.env, encoding: 'utf8', maxBuffer: 1 << 26 })) as T


export const referenceScript = (name: string): string => path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', name)

export interface PortSteps {
  /** The model the reference builds: config, feature sizes, parameter shapes, decayed names, initial weights. */
  fixture: { config: TrainingConfig; dims: { txt: number; img: number }; shapes: Record<string, number[]>; decay: string[]; weights: Record<string, Float32Array> }
  batches: HostBatch[]
  epochs: number[]
  lrs: number[]
  /** The port's stats per step. */
  ours: StepStats[]
  /** ms per step of the port (host batch in, update applied). */
  times: number[]
  /** With `sync`: the port's weights before each step, which the reference loads before its own step. */
  synced?: Record<string, Float32Array>[]
}

export interface PortStepOptions {
  steps: number
  /** The 0-based epoch of step i (ULGM's label update starts at epoch 1, SCDR's PLF phase reads it). */
  epochOf?: (i: number) => number
  /** The cosine schedule's length (the run the steps are the start of); default `steps`. */
  scheduleSteps?: number
  teacher?: TeacherTargets | null
  /**
   * Hands the reference the port's weights before every step: each step's terms then compare the
   * two implementations on the same weights, not two trajectories that float32 rounding has moved
   * apart (SCDR's pseudo-label argmaxes amplify that drift within tens of steps).
   */
  sync?: boolean
  /** Called after each step with the method (to read its state, e.g. ULGM's bank). */
  after?: (i: number, method: Method, batch: HostBatch) => void
}

/** Runs the port's method for `steps` steps on batches drawn as train() draws them (no strong-view dropout, so the reference sees the same rows). */
export function portSteps(config: TrainingConfig, d: TrainingData<Matrix>, options: PortStepOptions): PortSteps {
  const { method } = buildMethod(config, d, new Float32Array(CLASSES), options.teacher ?? null)
  const params = Params.initial(method.specs, new Rng(config.seed, 1))
  const dims = { txt: d.labeled.txt.clean.dim, img: d.labeled.img.clean.dim }
  const fixture = {
    config,
    dims,
    shapes: Object.fromEntries(method.specs.map((s) => [s.name, s.shape])),
    decay: method.specs.filter((s) => s.decay).map((s) => s.name),
    weights: params.arrays(),
  }
  const optimizer = new Optimizer(optimizerSettings(config), method.specs.filter((s) => s.trainable), params.variables)
  const rng = new Rng(config.seed, 2)
  const out: PortSteps = { fixture, batches: [], epochs: [], lrs: [], ours: [], times: [], ...(options.sync ? { synced: [] } : {}) }
  const none = { fallback: 0, strong: 0 }
  try {
    for (let i = 0; i < options.steps; i++) {
      const labeledRows = drawRows(config.batchLabeled, d.labeled.ids.length, rng)
      const unlabeledRows = method.semiSupervised ? drawRows(config.batchUnlabeled, d.unlabeled.ids.length, rng) : new Int32Array(0)
      const parts = method.parts(labeledRows, unlabeledRows)
      const groups = [
        { posts: d.labeled, parts: parts.labeled },
        { posts: d.unlabeled, parts: parts.unlabeled },
      ]
      const batch: HostBatch = { txt: stackBatch(groups, 'txt', rng, none), img: stackBatch(groups, 'img', rng, none), dims, y: Int32Array.from(labeledRows, (r) => d.labeled.y[r]!), labeled: labeledRows, unlabeled: unlabeledRows }
      const epoch = options.epochOf?.(i) ?? 0
      const lr = config.lr * (config.schedule === 'cosine' ? cosineFactor(i, options.scheduleSteps ?? options.steps) : 1)
      out.synced?.push(params.arrays())
      const t = performance.now()
      out.ours.push(trainingStep(method, params, optimizer, batch, { step: i, epoch }, lr, config.clipNorm))
      out.times.push(performance.now() - t)
      options.after?.(i, method, batch)
      out.batches.push(batch)
      out.epochs.push(epoch)
      out.lrs.push(lr)
    }
  } finally {
    optimizer.dispose()
    params.dispose()
  }
  return out
}

/** The reference script's answer on the port's steps (and `extra` fixture fields), or null (said why) when no Python has torch. */
export async function referenceOn<T>(script: string, steps: PortSteps, extra: Record<string, unknown> = {}): Promise<(T & { torch: string }) | null> {
  const torch = findTorch()
  if ('missing' in torch) {
    console.log(`PyTorch reference not run: ${torch.missing}`)
    return null
  }
  return withScratch(async (dir) => {
    const file = path.join(dir, 'fixture.bin')
    writeFileSync(file, packArrays({ ...steps.fixture, batches: steps.batches, epochs: steps.epochs, lrs: steps.lrs, ...(steps.synced ? { synced: steps.synced } : {}), ...extra }))
    return runReference<T & { torch: string }>(torch, file, referenceScript(script))
  })
}

/** |ours − theirs| / max(1e-3, |theirs|). */
export const relativeGap = (ours: number, theirs: number): number => Math.abs(ours - theirs) / Math.max(1e-3, Math.abs(theirs))

/** Per term, the largest relative gap over the steps where both sides have it (−1: never both). */
export function termGaps(ours: StepStats[], theirs: StepStats[], terms: readonly string[]): Record<string, number> {
  const gaps: Record<string, number> = {}
  for (const k of terms) {
    const pairs = theirs.flatMap((t, i) => (k in t && k in ours[i]! ? [relativeGap(ours[i]![k as keyof StepStats]!, t[k as keyof StepStats]!)] : []))
    gaps[k] = pairs.length === 0 ? -1 : Math.max(...pairs)
  }
  return gaps
}

/** Share of steps where `key` has the same value on both sides. */
export const agreement = (ours: StepStats[], theirs: StepStats[], key: keyof StepStats): number => theirs.filter((t, i) => t[key] === ours[i]![key]).length / theirs.length

export interface TableRow {
  term: string
  /** Largest relative gap (a fraction), or the largest absolute gap when `absolute`. */
  gap?: number
  absolute?: boolean
  /** Share of steps (or decisions) that agree. */
  agree?: number
  note?: string
}

/** Prints the side-by-side as a table (term, max relative gap, agreement) and returns its rows as figures. */
export function reportTable(bench: string, title: string, rows: TableRow[]): Figure[] {
  console.log(`\n${title}`)
  console.log(`  ${'term'.padEnd(34)} ${'max gap'.padStart(12)} ${'agreement'.padStart(10)}  note`)
  for (const r of rows) {
    const gap = r.gap === undefined ? '' : r.gap < 0 ? 'not run' : r.absolute ? r.gap.toExponential(2) : `${(100 * r.gap).toFixed(4)} %`
    const agree = r.agree === undefined ? '' : `${(100 * r.agree).toFixed(1)} %`
    console.log(`  ${r.term.padEnd(34)} ${gap.padStart(12)} ${agree.padStart(10)}  ${r.note ?? ''}`)
  }
  return rows.flatMap((r) => [
    ...(r.gap !== undefined && r.gap >= 0 ? [{ bench, metric: `${title}: ${r.term}, largest ${r.absolute ? 'absolute' : 'relative'} gap`, value: r.absolute ? r.gap : 100 * r.gap, unit: r.absolute ? '' : '%', target: r.absolute ? '≤ 1e-4' : '≤ 1' }] : []),
    ...(r.agree !== undefined ? [{ bench, metric: `${title}: ${r.term}, agreement`, value: 100 * r.agree, unit: '%', target: '≥ 95' }] : []),
  ])
}

/** A reference's answer run free (from the initial weights) and, with `sync`, on the port's weights before each step. */
export interface BothWays<T> {
  free: T
  synced?: T
}

/** How many leading steps keep every term within `limit` (the run's length when none passes it). */
export function stepsWithin(ours: StepStats[], theirs: StepStats[], terms: readonly string[], limit = 0.01): number {
  const at = theirs.findIndex((t, i) => terms.some((k) => k in t && k in ours[i]! && relativeGap(ours[i]![k as keyof StepStats]!, t[k as keyof StepStats]!) > limit))
  return at < 0 ? theirs.length : at
}

/** Per term the largest gap (synced when the reference ran synced, else free), and how long the free-running pair stays within 1 %. */
export function termRows(ours: StepStats[], out: BothWays<{ stats: StepStats[] }>, terms: readonly string[]): TableRow[] {
  const gaps = termGaps(ours, (out.synced ?? out.free).stats, terms)
  const within = stepsWithin(ours, out.free.stats, terms)
  return [
    ...terms.map((term) => ({ term, gap: gaps[term]!, note: out.synced ? 'same weights each step' : 'free-running' })),
    ...(out.synced ? [{ term: 'free-running, steps within 1 %', note: `every term within 1 % for the first ${within} of ${ours.length} steps` }] : []),
  ]
}
