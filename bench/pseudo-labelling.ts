// The end-of-run pseudo-labelling of 100,000 posts, end to end and stage by stage, on a store whose
// feature cache holds the default pair's clean vectors (synthetic): the head's pass through ONNX on
// the standardised rows, the pseudo-label rules (columns), the rows handed to the store, written a
// chunk per transaction, and the run ranked (risk order) and counted for review. Wall and CPU time (this process, every thread)
// per stage, for the default method's linear head (self-training), the fusion head and SCDR. Each
// head runs three ways in the same run, so the ratios do not depend on the load: "before", the path
// as it was (a statement per row on an unmapped connection, the whole pool read, then the pass; the
// first review ranks in one transaction); "cache", a pool left in the feature cache (a statement per
// 4,096 rows on a mapped connection, the pass reading chunk by chunk; the review order written with
// the rows, a chunk per transaction, on the connection unmapped again); and "memory", the trainer's
// path at this size (load-data.ts): the clean views were read into memory at load (timed apart, with
// the load a pool in the cache makes), so the end pass reads nothing; the writes as "cache".
// Before those, `predict.run` of a fusion head, exported as a folder, on the same posts: the shell's
// event loop's longest stall with predict in the trainer process (as the back end runs it) and inline
// (as it ran before), in the same run, and how long a label written meanwhile waits for its answer.
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import { FEATURE_MAP_BYTES, openStore, unmap } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import { RunsRepo } from '#main/db/runs-repo'
import { ReviewRepo } from '#main/db/review-repo'
import { WRITE_CHUNK } from '#main/db/chunked-insert'
import { TRAINER_AUTOCHECKPOINT_FRAMES } from '#main/db/checkpoint'
import { writePseudoLabels } from '#main/db/pseudo-label-writer'
import { builtInPairInfo, CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { applyScaler, type Scaler } from '#main/features/probe/standardize'
import { cachedModality, cachedRows } from '#main/training/cached-pool'
import type { TrainPosts } from '#main/training/data'
import { pseudoLabelsThroughOnnx } from '#main/training/onnx/pseudo-labels'
import { Rng } from '#main/training/rng'
import { readRows, wholeView, type StoredRows, type ViewRows } from '#main/training/view-rows'
import { DEFAULT_CHUNK } from '#main/training/onnx/head-session'
import { storedPseudoLabels } from '#main/training/worker/stored-pseudo-labels'
import { ensureRanked } from '#main/review/ranking'
import { riskModelOf } from '#main/review/risk'
import { createBackend } from '#main/app/backend'
import { buildHeadGraph } from '#main/training/onnx/head-graph'
import { MODEL_METADATA, modelMetadata, ONNX_FILE } from '#main/training/onnx/model-metadata'
import { modelOfFolder, predictPosts } from '#main/training/onnx/predict-posts'
import { forkTrainer, TRAINER_ENTRY, type TrainerHandle } from '#main/training/worker/trainer-process'
import type { FromTrainer, ToTrainer } from '#main/training/worker/trainer-protocol'
import { forkChild } from '#main/workers/child-process'
import { PredictionsRepo } from '#main/db/predictions-repo'
import { fillProject, POSTS } from './fixture'
import { collectGarbage, StallTrace, walGeneration } from './stall-trace'
import { C, fusionCase, linearCase, random, scdrCase, type HeadCase } from './heads'
import { withScratch, type Bench, type Figure } from './harness'

const PAIR = builtInPairInfo(CURRENT_DEFAULT)!

interface Stage {
  name: string
  wall: number
  cpu: number
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

async function timed<T>(stages: Stage[], name: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now()
  const cpu = process.cpuUsage()
  const out = await fn()
  stages.push({ name, wall: performance.now() - t, cpu: cpuMs(cpu) })
  return out
}

/** The pair's clean vectors for every post: slices of a shared random bank at random offsets (distinct rows, quick to write). */
function fillFeatures(db: Database, ids: readonly number[]): void {
  const rng = new Rng(3, 1)
  const bank = Buffer.from(random(1 << 20, rng).buffer)
  const insert = db.prepare('INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, ?, ?, ?, ?)')
  const slice = (dim: number): Buffer => {
    const at = 4 * rng.int((1 << 20) - dim)
    return bank.subarray(at, at + 4 * dim)
  }
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      insert.run(ids[i]!, PAIR.text.id, 'clean', PAIR.text.dim, slice(PAIR.text.dim))
      insert.run(ids[i]!, PAIR.image.id, 'clean', PAIR.image.dim, slice(PAIR.image.dim))
    }
  })
  for (let at = 0; at < ids.length; at += 5_000) write(at, Math.min(ids.length, at + 5_000))
}

/** The read as it was before: one statement per post and view, standardised row by row. */
function rowByRow(db: Database, encoder: string, ids: readonly number[], dim: number, scaler: Scaler): StoredRows {
  const get = db.prepare<[number, string], { vector: Buffer }>("SELECT vector FROM features WHERE post_id = ? AND encoder = ? AND view = 'clean'")
  return {
    rows: ids.length,
    dim,
    read(rows, out) {
      for (let i = 0; i < rows.length; i++) {
        const { vector } = get.get(ids[rows[i]!]!, encoder)!
        new Uint8Array(out.buffer, out.byteOffset + i * dim * 4, dim * 4).set(vector)
        applyScaler(scaler, out.subarray(i * dim, (i + 1) * dim), 1, dim)
      }
    },
  }
}

const posts = (ids: number[], txt: ViewRows, img: ViewRows): TrainPosts => ({ ids, txt: { clean: txt, weak: [], strong: [] }, img: { clean: img, weak: [], strong: [] } })

/** `npm run bench pseudo-labelling` (also part of `inference`): `floorOf` gives a head's one-pass floor at the machine's peak, when measured. */
export async function pseudoLabelling(dir: string, floorOf: (head: HeadCase) => number | null = () => null): Promise<Figure[]> {
  const figures: Figure[] = []
  const add = (metric: string, value: number, unit: string, target?: string): void => void figures.push({ bench: 'pseudo', metric, value, unit, ...(target ? { target } : {}) })
  const file = path.join(dir, 'pseudo.db')
  const store = openStore(file)
  const projectId = store.projects.create('pseudo').id
  fillProject(store.db, projectId)
  const ids = store.db.prepare<[number], number>('SELECT id FROM posts WHERE project_id = ? ORDER BY id').pluck().all(projectId)
  fillFeatures(store.db, ids)
  store.close()
  // First, while this process is as small as a shell (its start of the trainer forks it: ~70 ms on a core at 3 GB).
  const predict = await predictStall(dir, file, projectId, fusionCase(`fusion ${PAIR.text.dim}+${PAIR.image.dim}→256→3`, PAIR.text.dim, PAIR.image.dim, 256, new Rng(11)))
  // CG_BENCH_PREDICT_ONLY=1: the predict phase alone (a minute, not ten).
  if (process.env.CG_BENCH_PREDICT_ONLY === '1') return predict
  // Two connections on the same file: the old unmapped one, and the trainer's (mapped).
  const before = openStore(file)
  const after = openStore(file, { mapBytes: FEATURE_MAP_BYTES })
  // Both stand for the trainer's connection, with its backstop (trainer-worker.ts).
  for (const s of [before, after]) s.db.pragma(`wal_autocheckpoint = ${TRAINER_AUTOCHECKPOINT_FRAMES}`)
  const rng = new Rng(7)
  // What the trainer does at load with a pool this size (load-data.ts, pool 'auto'): the clean views
  // read whole into memory, the scaler fitted on them and applied; against a pool left in the cache,
  // whose load fits the scaler in two passes over the cache. Timed here, not in the end pass.
  // Each load on a connection of its own, so each maps the file afresh as the trainer's does.
  const loadClean = (cleanInMemory: boolean) => {
    const connection = openStore(file, { mapBytes: FEATURE_MAP_BYTES })
    const repo = new FeaturesRepo(connection.db)
    const modality = (v: typeof PAIR.text) => cachedModality(repo, projectId, v.id, v.dim, { weak: [], strong: [] }, { pool: ids, val: [], test: [] }, new Set(), true, cleanInMemory)
    try {
      return { text: modality(PAIR.text), image: modality(PAIR.image) }
    } finally {
      connection.close()
    }
  }
  const loads: Record<string, ReturnType<typeof loadClean>> = {}
  for (const [name, cleanInMemory] of [['clean views read into memory, scaler fitted on them', true], ['pool left in the cache, scaler fitted in two passes over it', false]] as const) {
    const stages: Stage[] = []
    loads[String(cleanInMemory)] = await timed(stages, name, () => loadClean(cleanInMemory))
    add(`at load (not in the end pass): ${name}, wall / CPU`, stages[0]!.wall, `ms / ${stages[0]!.cpu.toFixed(0)}`)
  }
  const loaded = loads['true']!
  const scalers = { text: loaded.text.scaler!, image: loaded.image.scaler! }
  const views = {
    before: () => posts(ids, rowByRow(before.db, PAIR.text.id, ids, PAIR.text.dim, scalers.text), rowByRow(before.db, PAIR.image.id, ids, PAIR.image.dim, scalers.image)),
    cache: () => {
      const repo = new FeaturesRepo(after.db)
      return posts(ids, cachedRows(repo, { encoder: PAIR.text.id, view: 'clean' }, ids, PAIR.text.dim, scalers.text), cachedRows(repo, { encoder: PAIR.image.id, view: 'clean' }, ids, PAIR.image.dim, scalers.image))
    },
    memory: () => posts(ids, loaded.text.views.clean, loaded.image.views.clean),
  }

  // Reading alone (both views, all posts, 4,096 rows at a time into one buffer, as the head session reads), each way.
  for (const [name, u] of [['a statement per row, unmapped (before)', views.before()], ['a statement per 4,096 rows, mapped (a pool in the cache)', views.cache()]] as const) {
    const stages: Stage[] = []
    await timed(stages, name, () => {
      for (const v of [u.txt.clean, u.img.clean]) {
        const buffer = new Float32Array(DEFAULT_CHUNK * v.dim)
        for (let start = 0; start < v.rows; start += DEFAULT_CHUNK) {
          const rows = Int32Array.from({ length: Math.min(DEFAULT_CHUNK, v.rows - start) }, (_, i) => start + i)
          readRows(v, rows, buffer.subarray(0, rows.length * v.dim))
        }
      }
    })
    add(`read ${POSTS / 1000}k posts' features: ${name}, wall / CPU`, stages[0]!.wall, `ms / ${stages[0]!.cpu.toFixed(0)}`)
  }

  const heads = [
    linearCase(PAIR.text.dim, PAIR.image.dim, rng),
    fusionCase(`fusion ${PAIR.text.dim}+${PAIR.image.dim}→256→3`, PAIR.text.dim, PAIR.image.dim, 256, rng),
    scdrCase('SCDR d=128, heads 256', PAIR.text.dim, PAIR.image.dim, 128, 256, rng),
  ]
  for (const head of heads) {
    const method = head.model.method
    const model = { topology: { format: 'common-ground-training' as const, method, classes: ['negative', 'neutral', 'positive'], step: 0, inputs: head.model.dims }, weights: new Map(head.model.weights), preprocessing: null }
    const options = { classes: C, plfThreshold: method === 'scdr' ? 0.5 : null }
    const totals: Record<string, Stage> = {}
    const proposed: Record<string, string> = {}
    for (const way of ['before', 'cache', 'memory'] as const) {
      const store = way === 'before' ? before : after
      // Each way starts from the WAL a run's write meets in the app: copied into the database when the
      // last run's (or predict's) write ended (checkpoint.ts, pause). Left to accumulate, the earlier
      // ways' rows crossed the 10,000-frame backstop inside this write and it copied them: that is not
      // this head's cost. Its own frames still cross it if there are that many.
      store.db.pragma('wal_checkpoint(TRUNCATE)')
      const stages: Stage[] = []
      const started = performance.now()
      const cpu = process.cpuUsage()
      let u = views[way]()
      if (way === 'before') {
        const txt = await timed(stages, 'read features', () => wholeView(u.txt.clean))
        const img = await timed(stages, 'read features', () => wholeView(u.img.clean))
        u = posts(ids, txt, img)
      }
      const pass = { before: 'ONNX pass + rules', cache: 'read features + ONNX pass (in turn) + rules', memory: 'ONNX pass on the features in memory + rules' }[way]
      const { labels, timing } = await timed(stages, pass, () => pseudoLabelsThroughOnnx(model, u, options))
      add(`${method}, ${way}: of which the pseudo-label rules`, timing.rulesMs, 'ms')
      if (way !== 'before') unmap(store.db)
      const rows = await timed(stages, 'rows handed to the store (the columns, read in place)', () => storedPseudoLabels(labels, new Set()))
      const runId = Number(store.db.prepare(`INSERT INTO runs (project_id, method, status) VALUES (?, ?, 'running')`).run(projectId, method).lastInsertRowid)
      let longest = 0
      const write = { chunkMs: (ms: number) => void (longest = Math.max(longest, ms)) }
      // Before: the rows alone, then the first review ranks them in one transaction. Now (cache, memory): the rows
      // and their review order a chunk per transaction (RunsRepo.saveResults), each chunk counted for review as it
      // is written (writePseudoLabels); the first review finds the run ranked and counted.
      await timed(stages, way === 'before' ? `rows written (${WRITE_CHUNK} per transaction)` : `rows and review order written (${WRITE_CHUNK} per transaction)`, () =>
        way === 'before'
          ? writePseudoLabels(store.db, runId, rows, write)
          : new RunsRepo(store.db).saveResults(runId, { step: 0, selectedStep: 0, elapsedMs: 0, reports: {}, curves: [], pseudoLabels: rows }, write),
      )
      // The WAL's length once written (it starts empty above; a checkpoint inside the write restarts it, and shows as a long transaction).
      const walFrames = Math.max(0, (statSync(`${file}-wal`).size - 32) / (Number(store.db.pragma('page_size', { simple: true })) + 24))
      const rankStart = performance.now()
      await timed(stages, way === 'before' ? 'ranked for review (risk order, counts)' : 'first review: ranked and counted already (checked)', () => ensureRanked(new ReviewRepo(store.db), runId, riskModelOf(null)))
      const rankTx = performance.now() - rankStart
      totals[way] = { name: way, wall: performance.now() - started, cpu: cpuMs(cpu) }
      // The bench's own check, outside the timing (it was inside until 2026-12-06 10:30: ~3 MB of JSON).
      proposed[way] = JSON.stringify([labels.ids, Array.from(labels.label), Array.from(labels.confidence)])
      const merged = new Map<string, Stage>()
      for (const s of stages) {
        const m = merged.get(s.name) ?? { name: s.name, wall: 0, cpu: 0 }
        merged.set(s.name, { name: s.name, wall: m.wall + s.wall, cpu: m.cpu + s.cpu })
      }
      for (const s of merged.values()) add(`${method}, ${way}: ${s.name}, wall / CPU`, s.wall, `ms / ${s.cpu.toFixed(0)}`)
      add(`${method}, ${way}: longest write transaction (chunks)`, longest, 'ms', '< 50 ms')
      add(`${method}, ${way}: WAL frames after the write (the trainer's backstop checkpoints at ${TRAINER_AUTOCHECKPOINT_FRAMES})`, walFrames, '')
      add(`${method}, ${way}: first review, ${way === 'before' ? 'rank (read, sort, one write transaction) and count' : 'check that the write ranked and counted the run'}`, rankTx, 'ms', '< 50 ms')
      if (way !== 'before') store.db.pragma(`mmap_size = ${FEATURE_MAP_BYTES}`)
      add(`${method}, ${way}: end to end, wall / CPU`, totals[way].wall, `ms / ${totals[way].cpu.toFixed(0)}`, '< 2000 ms')
    }
    add(`${method}: end to end, before / pool in the cache / clean views in memory`, totals.before!.wall / totals.cache!.wall, `× / ${(totals.before!.wall / totals.memory!.wall).toFixed(2)}×`)
    add(`${method}: pseudo-labels and confidences identical all three ways (1 = yes)`, proposed.before === proposed.cache && proposed.cache === proposed.memory ? 1 : 0, '')
    const floor = floorOf(head)
    if (floor !== null) add(`${method}: floor, 1 pass at the measured peak`, floor, 'ms')
  }
  before.close()
  after.close()
  return [...figures, ...predict]
}

/** The head as the model export writes it: model.onnx and its metadata. */
function exportedFolder(dir: string, head: HeadCase): string {
  const folder = path.join(dir, 'exported-model')
  mkdirSync(folder, { recursive: true })
  writeFileSync(path.join(folder, ONNX_FILE), buildHeadGraph(head.model))
  const metadata = modelMetadata({ run: null, model: head.model, preprocessing: null, appVersion: 'bench', outputs: ['logits', 'probabilities'] })
  writeFileSync(path.join(folder, MODEL_METADATA), JSON.stringify(metadata))
  return folder
}

/** `predict.run` on every post: the shell loop's longest stall and the time until answered, in the trainer process and inline. */
async function predictStall(dir: string, file: string, projectId: number, head: HeadCase): Promise<Figure[]> {
  const figures: Figure[] = []
  const modelPath = exportedFolder(dir, head)
  // Stalls over 20 ms are attributed: the trainer's start is 10–40 ms of the loop.
  const ATTRIBUTE_OVER_MS = 20
  let trace = new StallTrace(ATTRIBUTE_OVER_MS)
  const rss = (): string => `this process's resident memory ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`
  // The trainer as the shells start it (from the spawner thread), or forked on this loop as before.
  let launch: () => TrainerHandle = forkTrainer
  const launchTrainer = (): TrainerHandle => trace.span('start the trainer process', launch, rss)
  const backend = createBackend({ dbPath: file, shell: { shell: 'browser' }, readThread: true, launchTrainer })
  try {
    let work = NaN
    // While the trainer process predicts, a person labels a post every 25 ms: each label's write waits
    // for the store's lock whenever the trainer holds it (one chunk of the set's rows, not the set).
    const posts = (backend.store.db.prepare('SELECT id FROM posts WHERE project_id = ? ORDER BY id LIMIT 200').all(projectId) as { id: number }[]).map((p) => p.id)
    /** Each label: its answer time, its synchronous part (its write when the lock was free: a write waits for a taken lock off the loop), whether a checkpoint held it. */
    const labelHolds: { sync: number; answer: number; held: boolean; phase: string; walStarted: boolean }[] = []
    let phase = 'none'
    backend.events.subscribe((event, payload) => {
      if (event === 'predict.progress') phase = `${(payload as { phase: string }).phase} ${(payload as { done: number }).done}`
      if (event === 'predict.finished') phase = 'finished'
    })
    let sent = 0
    const labelling = (): (() => void) => {
      const timer = setInterval(() => {
        const t = performance.now()
        const postId = posts[sent++ % posts.length]!
        const held = backend.reads.writeHold() !== null
        const phaseBefore = phase
        const generation = walGeneration(file)
        const reply = backend.dispatch('labels.set', { projectId, postId, modality: 'overall', label: 'positive', annotator: 'bench' })
        const sync = performance.now() - t
        const walStarted = walGeneration(file) !== generation
        void reply.then((r) => {
          if (!r.ok) throw new Error(`labels.set: ${r.error.message}`)
          labelHolds.push({ sync, answer: performance.now() - t, held, phase: phaseBefore, walStarted })
        })
      }, 25)
      return () => clearInterval(timer)
    }
    const predictInTrainer = async (): Promise<void> => {
      const stop = labelling()
      const reply = await backend.dispatch('predict.run', { projectId, modelPath }).finally(stop)
      if (!reply.ok) throw new Error(`predict.run: ${reply.error.message}`)
      work = (reply.result as { elapsedMs: number }).elapsedMs
    }
    const ways = {
      'trainer process forked on the shell loop (before)': async () => {
        launch = () => forkChild<ToTrainer, FromTrainer>(TRAINER_ENTRY)
        await predictInTrainer()
      },
      'trainer process (predict.run)': async () => {
        launch = forkTrainer
        await predictInTrainer()
      },
      'inline on the shell loop (before)': async () => {
        await predictPosts(backend.store.db, new PredictionsRepo(backend.store.db), { projectId, model: modelOfFolder(modelPath), runId: null, modelPath })
      },
    }
    for (const [way, fn] of Object.entries(ways)) {
      // The heads' garbage (their labels, rows and features) is not predict's.
      collectGarbage()
      trace = new StallTrace(ATTRIBUTE_OVER_MS)
      const t = performance.now()
      const worst = await trace.watch(() => trace.span(way, fn))
      const answered = performance.now() - t
      trace.close()
      const top = trace.top(3)
      console.log(`\npredict, ${way}: ${trace.stalls.length} stall(s) over ${ATTRIBUTE_OVER_MS} ms${top.length ? '; the longest:' : ''}`)
      for (const { stall: s, cause } of top) console.log(`  ${s.wall.toFixed(0).padStart(5)} ms (${s.own.toFixed(0)} ms own): ${cause}`)
      figures.push({ bench: 'pseudo', metric: `predict ${POSTS / 1000}k posts (${head.name}), ${way}: longest event-loop stall`, value: worst.wall, unit: 'ms' })
      figures.push({ bench: 'pseudo', metric: `  the same less the waits for a core (this process's own)`, value: worst.own, unit: 'ms', target: '≤ 50 ms' })
      figures.push({ bench: 'pseudo', metric: `predict, ${way}: until answered`, value: answered, unit: 'ms' })
    }
    figures.push({ bench: 'pseudo', metric: "predict, trainer process: of which the read and the ONNX pass (the set's recorded time; its write not included)", value: work, unit: 'ms' })
    const sorted = labelHolds.map((h) => h.answer).sort((a, b) => a - b)
    figures.push({ bench: 'pseudo', metric: `predict, trainer process: a label written every 25 ms meanwhile (${sorted.length}), the longest answer`, value: sorted.at(-1) ?? NaN, unit: 'ms', target: '≤ 50 ms' })
    figures.push({ bench: 'pseudo', metric: '  their median', value: sorted[Math.floor(sorted.length / 2)] ?? NaN, unit: 'ms' })
    figures.push({ bench: 'pseudo', metric: "  the longest synchronous part of a label's dispatch (its write, if the lock was free; one that waited for it runs later, within the stalls above)", value: Math.max(...labelHolds.map((h) => h.sync)), unit: 'ms', target: '≤ 50 ms' })
    const slow = labelHolds.filter((h) => h.answer > 50)
    console.log(`\nlabels answered after 50 ms while predict ran: ${slow.length} of ${labelHolds.length}; held by a checkpoint when sent: ${slow.filter((h) => h.held).length}`)
    for (const h of slow.slice(0, 8)) console.log(`  answered in ${h.answer.toFixed(0)} ms, ${h.sync.toFixed(0)} ms of it synchronous${h.held ? ', a checkpoint held writes' : ''}; predict at ${h.phase}${h.walStarted ? '; the WAL was started afresh meanwhile' : ''}`)
  } finally {
    backend.close()
  }
  return figures
}

export const pseudoLabellingBench: Bench = {
  name: 'pseudo-labelling',
  onlyWhenNamed: true,
  run: () => withScratch((dir) => pseudoLabelling(dir)),
}
