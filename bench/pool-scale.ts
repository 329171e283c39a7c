// Training against the size of the unlabeled pool (issue 15): for pools of 1,000, 10,000 and
// 100,000 train posts (plus 1,000 val and 1,000 test) in a store whose feature cache holds every
// view at the default-v1 sizes (POOL_PAIR=default-v2 for the current default's; synthetic vectors),
// a queued SCDR run of 21 steps in the real trainer process (load, steps, the end-of-run pass over
// the pool, results saved). Figures: ms per step from the worker's progress, where the pool's views
// live, the load and end times, and the worker's peak RSS (VmHWM) and its largest anonymous memory
// (RssAnon: without the mapped feature cache's file pages), read from /proc while it runs. A pool
// the trainer would hold (wholly, or its clean views) in memory runs twice: as the trainer picks,
// and again with COMMON_GROUND_POOL_MEMORY_MB=0 (all read from the cache), so the cache path's step
// time is seen at every size. `POOL_SIZES=1000,10000` runs fewer.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import { openStore } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import { builtInPairInfo } from '#main/features/built-in-pairs'
import { makeConfig } from '#main/training/config'
import { poolPlacement, poolViewBytes } from '#main/training/load-data'
import { POOL_MEMORY_ENV, poolMemoryBytes } from '#main/training/cached-pool'
import { forkTrainer, runTrainerTask, type TrainerHandle } from '#main/training/worker/trainer-process'
import { Rng } from '#main/training/rng'
import type { TrainerProgress } from '#main/training/worker/trainer-protocol'
import { SENTIMENTS } from '#shared/vocabulary'
import { withScratch, type Bench, type Figure } from './harness'

const POOLS = (process.env.POOL_SIZES ?? '1000,10000,100000').split(',').map(Number)
const EVAL = 1_000
const STEPS = 21
/** Steps left out of the step time (tfjs warms up on the first ones). */
const WARMUP = 3
/** The pair whose sizes the store holds: default-v1 (the larger) unless POOL_PAIR names another. */
const PAIR = builtInPairInfo(process.env.POOL_PAIR ?? 'default-v1')!
const NOISE = 1 << 20

/** `train` train posts (every one labeled, imported) and EVAL val and EVAL test posts; returns the ids and classes. */
function fillPosts(db: Database, projectId: number, train: number): { ids: number[]; classes: number[] } {
  const sourceId = Number(db.prepare("INSERT INTO sources (project_id, root, format) VALUES (?, '/bench', 'folder')").run(projectId).lastInsertRowid)
  const post = db.prepare(`INSERT INTO posts (project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
    VALUES (?, ?, ?, 'a post', ?, ?, 384, 288, ?)`)
  const label = db.prepare("INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES (?, ?, 'overall', ?, 'imported', 'bench')")
  const ids: number[] = []
  const classes: number[] = []
  db.transaction(() => {
    for (let i = 0; i < train + 2 * EVAL; i++) {
      const split = i < train ? 'train' : i < train + EVAL ? 'val' : 'test'
      const id = Number(post.run(projectId, sourceId, `p${i}`, `img/${i}.jpg`, String(i), split).lastInsertRowid)
      label.run(projectId, id, SENTIMENTS[i % 3]!)
      ids.push(id)
      classes.push(i % 3)
    }
  })()
  return { ids, classes }
}

/** Every view the default extraction stores (K = 1): a class centre per view plus noise from a shared bank. */
function fillFeatures(db: Database, posts: { ids: number[]; classes: number[] }): void {
  const rng = new Rng(1, 9)
  const bank = Float32Array.from({ length: NOISE }, () => rng.next() * 2 - 1)
  const views = [
    { encoder: PAIR.image.id, dim: PAIR.image.dim, views: ['clean', 'weak:0', 'strong:0'] },
    { encoder: PAIR.text.id, dim: PAIR.text.dim, views: ['clean', 'strong:0'] },
  ]
  const centres = views.map((m) => SENTIMENTS.map(() => Float32Array.from({ length: m.dim }, () => rng.next() * 2 - 1)))
  const insert = db.prepare('INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, ?, ?, ?, ?)')
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      views.forEach((m, k) => {
        m.views.forEach((view, v) => {
          const vector = new Float32Array(m.dim)
          const at = rng.int(NOISE - m.dim)
          const centre = centres[k]![posts.classes[i]!]!
          const scale = 0.8 + 0.4 * v
          for (let j = 0; j < m.dim; j++) vector[j] = centre[j]! + scale * bank[at + j]!
          insert.run(posts.ids[i]!, m.encoder, view, m.dim, Buffer.from(vector.buffer))
        })
      })
    }
  })
  for (let at = 0; at < posts.ids.length; at += 2_000) write(at, Math.min(posts.ids.length, at + 2_000))
}

/**
 * The process's peak resident set so far (VmHWM) and its anonymous memory now (RssAnon), in MB; null
 * once it is gone. The trainer maps the store for reads (FEATURE_MAP_BYTES): the cache pages it
 * touches count in VmHWM as file pages (shared, dropped by the OS under pressure), not in RssAnon.
 */
function memoryOf(pid: number): { hwm: number; anon: number } | null {
  try {
    const lines = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')
    const kb = (key: string): number => Number(lines.find((l) => l.startsWith(key))?.split(/\s+/)[1] ?? NaN) / 1024
    return { hwm: kb('VmHWM:'), anon: kb('RssAnon:') }
  } catch {
    return null
  }
}

interface Measured {
  stepMs: number
  loadMs: number
  endMs: number
  peakMb: number
  /** The largest RssAnon seen in the 20 ms polls. */
  anonMb: number
}

/** Runs the queued run in a trainer process, polling its peak memory every 20 ms. */
async function measure(dbPath: string, runId: number): Promise<Measured> {
  let handle: TrainerHandle | null = null
  const launch = (): TrainerHandle => (handle = forkTrainer())
  let peak = 0
  let anon = 0
  const started = performance.now()
  const seen: { at: number; progress: TrainerProgress }[] = []
  const running = runTrainerTask(launch, { type: 'start', task: 'train', config: { runId, dbPath, pair: PAIR.id } }, (progress) => seen.push({ at: performance.now(), progress }))
  const poll = setInterval(() => {
    const pid = (handle as TrainerHandle | null)?.pid
    const now = pid === undefined ? null : memoryOf(pid)
    if (now !== null) {
      peak = Math.max(peak, now.hwm)
      anon = Math.max(anon, now.anon)
    }
  }, 20)
  const outcome = await running.outcome
  const done = performance.now()
  clearInterval(poll)
  if (outcome.outcome !== 'done') throw new Error(`the bench run ended ${outcome.outcome}: ${JSON.stringify(outcome)}`)
  const training = seen.filter((s) => s.progress.phase === 'training')
  const first = training.find((s) => s.progress.step >= WARMUP)!
  const last = [...training].reverse().find((s) => s.progress.step < STEPS) ?? training[training.length - 1]!
  return {
    stepMs: (last.progress.elapsedMs - first.progress.elapsedMs) / (last.progress.step - first.progress.step),
    loadMs: (training[0]?.at ?? started) - started,
    endMs: done - (training[training.length - 1]?.at ?? started),
    peakMb: peak,
    anonMb: anon,
  }
}

export const poolScale: Bench = {
  name: 'pool',
  async run() {
    const figures: Figure[] = []
    for (const train of POOLS) {
      await withScratch(async (dir) => {
        const dbPath = path.join(dir, 'pool.db')
        const store = openStore(dbPath)
        const projectId = store.projects.create('pool').id
        const posts = fillPosts(store.db, projectId, train)
        fillFeatures(store.db, posts)
        const config = { ...makeConfig('default', { method: 'scdr', steps: STEPS, evalEvery: STEPS, checkpointEvery: 0 }), seed: 1 }
        const request = { projectId, method: 'scdr' as const, preset: 'default' as const, labels: { mode: 'draw' as const, n: 600, draw: 'per-class' as const }, encoder: PAIR.id }
        const queue = (): number => store.runs.create({ projectId, method: 'scdr', preset: 'default', encoder: PAIR.id, seed: 1, steps: STEPS, request, config, ownerPid: process.pid })
        const bytes = poolViewBytes(new FeaturesRepo(store.db), projectId, PAIR, train)
        const picked = poolPlacement(new FeaturesRepo(store.db), projectId, PAIR, train, poolMemoryBytes())
        const said = { memory: 'holds them in memory', clean: 'holds the clean views in memory and reads the augmented ones from the feature cache', cache: 'reads them from the feature cache' }
        figures.push({ bench: 'pool', metric: `pool of ${train} (${PAIR.id}): views ${Math.round(bytes / 2 ** 20)} MB as float32, the trainer ${said[picked]}`, value: bytes / train / 1024, unit: 'KB/post' })
        for (const place of picked === 'cache' ? (['cache'] as const) : ([picked, 'cache'] as const)) {
          const runId = queue()
          if (place !== picked) process.env[POOL_MEMORY_ENV] = '0'
          try {
            const m = await measure(dbPath, runId)
            const where = `pool of ${train}, ${{ memory: 'in memory', clean: 'clean views in memory, augmented from the cache', cache: 'from the cache' }[place]}`
            figures.push(
              { bench: 'pool', metric: `${where}: scdr step in the trainer process (steps ${WARMUP}–${STEPS - 1})`, value: m.stepMs, unit: 'ms' },
              { bench: 'pool', metric: `${where}: load (labels, scaler, evaluation splits)`, value: m.loadMs, unit: 'ms' },
              { bench: 'pool', metric: `${where}: after the last step: evaluation, pass over the pool, results saved`, value: m.endMs, unit: 'ms' },
              { bench: 'pool', metric: `${where}: trainer process peak RSS (with the mapped cache's file pages)`, value: m.peakMb, unit: 'MB' },
              { bench: 'pool', metric: `${where}: trainer process peak anonymous memory (RssAnon, polled)`, value: m.anonMb, unit: 'MB', ...(train === 100_000 ? { target: '≤ 2048 MB' } : {}) },
            )
          } finally {
            delete process.env[POOL_MEMORY_ENV]
          }
        }
        store.close()
      })
    }
    return figures
  },
}
