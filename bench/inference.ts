// Head inference through onnxruntime-node on cached features, the path `predict` and the end-of-run
// pseudo-labels take. In one run: the machine's matrix peak (a large square MatMul in the same
// runtime, same thread settings), then each head's posts/s and its share of that peak for the
// head's FLOPs; then the end-of-run pseudo-labelling of 100,000 posts end to end, stage by stage (the
// head's pass on clean features, the pseudo-label rules, the rows built and written to SQLite a chunk
// per transaction, with the longest transaction).
import path from 'node:path'
import { openStore } from '#main/db/store'
import { RunsRepo } from '#main/db/runs-repo'
import { DEFAULT_IMAGE_DIM } from '#main/features/encoders/default/image-encoder'
import { createDefaultTextEncoder } from '#main/features/encoders/default/text-encoder'
import { makeConfig } from '#main/training/config'
import type { Matrix, TrainPosts } from '#main/training/data'
import { fusionMethod } from '#main/training/methods/fusion'
import { scdrSpecs } from '#main/training/models/scdr'
import { GraphBuilder } from '#main/training/onnx/graph-builder'
import { buildHeadGraph, NO_CALIBRATION, type HeadModel, type WeightArray } from '#main/training/onnx/head-graph'
import { HeadSession } from '#main/training/onnx/head-session'
import { pseudoLabelsThroughOnnx } from '#main/training/onnx/pseudo-labels'
import { Rng } from '#main/training/rng'
import type { ParamSpec } from '#main/training/params'
import { pseudoLabelRows } from '#main/training/worker/run-training'
import { PSEUDO_CHUNK } from '#main/db/pseudo-label-writer'
import type { PseudoLabel } from '#main/training/evaluate'
import { buildModel } from '#main/features/onnx-builder/proto'
import { openSession, ort } from '#main/features/encoders/onnx-session'
import { fillProject, POSTS } from './fixture'
import { withScratch, type Bench, type Figure } from './harness'

const C = 3
const ROWS = 32_768

const random = (n: number, rng: Rng, scale = 1): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale))
/** Features: a block of 65,537 random values tiled (drawing 300M values would take minutes; the arithmetic is the same). */
function matrix(rows: number, dim: number, rng: Rng): Matrix {
  const block = random(65_537, rng)
  const data = new Float32Array(rows * dim)
  for (let at = 0; at < data.length; at += block.length) data.set(block.subarray(0, Math.min(block.length, data.length - at)), at)
  return { rows, dim, data }
}

function weightsOf(specs: ParamSpec[], rng: Rng): Map<string, WeightArray> {
  return new Map(specs.map((s) => [s.name, { shape: s.shape, values: s.shape.length === 0 ? Float32Array.of(1) : random(s.shape.reduce((a, b) => a * b, 1), rng, 1 / Math.sqrt(s.fanIn)) }]))
}

interface HeadCase {
  name: string
  model: HeadModel
  /** Multiply-adds ×2 per post, from the layer shapes. */
  flops: number
}

function fusionCase(name: string, text: number, image: number, hidden: number, rng: Rng): HeadCase {
  const config = makeConfig('default', { method: 'supervised', clsHidden: hidden })
  const specs = fusionMethod(config, { txt: text, img: image, clsHidden: hidden, classes: C }, null).specs
  const scaler = (d: number) => ({ mean: random(d, rng), inverseStd: Float32Array.from({ length: d }, () => rng.uniform(0.5, 2)) })
  const model: HeadModel = { method: 'supervised', weights: weightsOf(specs, rng), dims: { text, image }, classes: C, standardize: { text: scaler(text), image: scaler(image) }, calibration: NO_CALIBRATION }
  return { name, model, flops: 2 * ((text + image) * hidden + hidden * C) }
}

/** Self-training's linear head, [text | image] · w + b (the default method). */
function linearCase(text: number, image: number, rng: Rng): HeadCase {
  const dim = text + image
  const weights = new Map<string, WeightArray>([
    ['w', { shape: [dim, C], values: random(dim * C, rng, 1 / Math.sqrt(dim)) }],
    ['b', { shape: [C], values: random(C, rng) }],
  ])
  const model: HeadModel = { method: 'self-training', weights, dims: { text, image }, classes: C, standardize: null, calibration: NO_CALIBRATION }
  return { name: 'linear', model, flops: 2 * dim * C }
}

function scdrCase(name: string, text: number, image: number, h: number, hc: number, rng: Rng): HeadCase {
  const specs = scdrSpecs({ txt: text, img: image, hidden: h, clsHidden: hc, classes: C }, false)
  const model: HeadModel = { method: 'scdr', weights: weightsOf(specs, rng), dims: { text, image }, classes: C, standardize: null, calibration: NO_CALIBRATION }
  const macs = text * h + image * h + 4 * h * h /* et, ev, ec twice */ + (3 * h * h + h * C) /* selector */ + 7 * h * h /* q; k, v over 3 tokens */ + 5 * (h * hc + hc * C) /* cm; ct, cv twice */
  return { name, model, flops: 2 * macs }
}

/** GFLOP/s of the best of `repeats` runs of an M×K by K×N MatMul through ORT with the app's session options. */
async function matmulPeak(size: number, repeats: number): Promise<number> {
  const rng = new Rng(1)
  const g = new GraphBuilder()
  const a = g.input('a', size)
  g.output('c', g.op('MatMul', [a, g.constant('b', [size, size], random(size * size, rng))]), ['N', size])
  const session = await openSession(buildModel(g.spec('peak')))
  const feed = { a: new ort.Tensor('float32', random(size * size, rng), [size, size]) }
  let best = Infinity
  for (let i = 0; i < repeats + 1; i++) {
    const t = performance.now()
    await session.run(feed)
    if (i > 0) best = Math.min(best, performance.now() - t)
  }
  await session.release()
  return (2 * size ** 3) / (best / 1000) / 1e9
}

async function postsPerSecond(head: HeadCase, text: Matrix, image: Matrix): Promise<number> {
  const session = await HeadSession.open(buildHeadGraph(head.model))
  await session.run({ ...text, rows: 4096, data: text.data.subarray(0, 4096 * text.dim) }, { ...image, rows: 4096, data: image.data.subarray(0, 4096 * image.dim) })
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await session.run(text, image)
    best = Math.min(best, performance.now() - t)
  }
  await session.release()
  return text.rows / (best / 1000)
}

/** One stage of the pseudo-labelling: wall time, and this process's CPU time in it (every thread; on a loaded machine the wall time also holds the waits for a core). */
interface Stage {
  name: string
  wall: number
  cpu: number
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

function timedStage<T>(stages: Stage[], name: string, fn: () => T): T {
  const t = performance.now()
  const cpu = process.cpuUsage()
  const out = fn()
  stages.push({ name, wall: performance.now() - t, cpu: cpuMs(cpu) })
  return out
}

export const inference: Bench = {
  name: 'inference',
  async run() {
    const figures: Figure[] = []
    const peak = Math.max(await matmulPeak(2048, 4), await matmulPeak(1536, 4))
    figures.push({ bench: 'infer', metric: 'matrix peak: ORT MatMul 2048² (2 threads), best', value: peak, unit: 'GFLOP/s' })
    const rng = new Rng(7)
    const textDim = createDefaultTextEncoder().info.dim
    const heads = [
      fusionCase('MLP 1024→256→3 (the issue\'s reference)', 512, 512, 256, rng),
      fusionCase(`fusion ${textDim}+${DEFAULT_IMAGE_DIM}→256→3 (default pair, supervised/fixmatch)`, textDim, DEFAULT_IMAGE_DIM, 256, rng),
      scdrCase('SCDR d=128, heads 256 (default preset)', textDim, DEFAULT_IMAGE_DIM, 128, 256, rng),
    ]
    for (const head of heads) {
      const text = matrix(ROWS, head.model.dims.text, rng)
      const image = matrix(ROWS, head.model.dims.image, rng)
      const rate = await postsPerSecond(head, text, image)
      const gflops = (rate * head.flops) / 1e9
      figures.push({ bench: 'infer', metric: `${head.name}: posts/s`, value: rate, unit: 'posts/s' })
      figures.push({ bench: 'infer', metric: `${head.name}: share of peak (${(head.flops / 1e6).toFixed(2)} MFLOP/post)`, value: (100 * gflops) / peak, unit: '%', target: '≥ 50 %' })
    }

    // End-of-run pseudo-labelling at 100,000 posts, default pair, stage by stage: the default method's
    // linear head (self-training), the fusion and the SCDR heads, all through ONNX (clean pass only:
    // the strong view is no longer run, pseudo-labels.ts).
    await withScratch(async (dir) => {
      const store = openStore(path.join(dir, 'pseudo.db'))
      const projectId = store.projects.create('pseudo').id
      fillProject(store.db, projectId)
      const runs = new RunsRepo(store.db)
      const ids = Array.from({ length: POSTS }, (_, i) => i + 1)
      const newRun = (method: string): number => Number(store.db.prepare(`INSERT INTO runs (project_id, method, status) VALUES (?, ?, 'running')`).run(projectId, method).lastInsertRowid)
      /** Rows built and written (the trainer's path from here on), the stages into `figures`. */
      const finish = async (name: string, method: string, labels: PseudoLabel[], stages: Stage[], floor: number | null): Promise<void> => {
        const runId = newRun(method)
        const rows = timedStage(stages, 'rows built', () => pseudoLabelRows({ pseudoLabels: labels } as never, new Set()))
        const t = performance.now()
        const cpu = process.cpuUsage()
        let longest = 0
        let last = performance.now()
        await runs.saveResults(runId, { step: 0, selectedStep: 0, elapsedMs: 0, reports: {}, curves: [], pseudoLabels: rows }, {
          between: async () => {
            longest = Math.max(longest, performance.now() - last)
            await new Promise((resolve) => setImmediate(resolve))
            last = performance.now()
          },
        })
        longest = Math.max(longest, performance.now() - last)
        stages.push({ name: `rows written (${PSEUDO_CHUNK} per transaction)`, wall: performance.now() - t, cpu: cpuMs(cpu) })
        for (const stage of stages) {
          figures.push({ bench: 'infer', metric: `${name}: ${stage.name}`, value: stage.wall, unit: 'ms' })
          figures.push({ bench: 'infer', metric: `${name}:   CPU time of this process in it`, value: stage.cpu, unit: 'ms' })
        }
        figures.push({ bench: 'infer', metric: `${name}: longest write transaction`, value: longest, unit: 'ms', target: '< 50 ms' })
        figures.push({ bench: 'infer', metric: `${name}: end to end`, value: stages.reduce((a, s) => a + s.wall, 0), unit: 'ms', target: '< 2000 ms' })
        figures.push({ bench: 'infer', metric: `${name}:   CPU time of this process (all threads)`, value: stages.reduce((a, s) => a + s.cpu, 0), unit: 'ms' })
        if (floor !== null) figures.push({ bench: 'infer', metric: `${name}: floor, 1 pass at the measured peak`, value: floor, unit: 'ms' })
      }

      for (const head of [linearCase(textDim, DEFAULT_IMAGE_DIM, rng), ...heads.slice(1)]) {
        const clean = { txt: matrix(POSTS, textDim, rng), img: matrix(POSTS, DEFAULT_IMAGE_DIM, rng) }
        const u: TrainPosts = { ids, txt: { clean: clean.txt, weak: [], strong: [] }, img: { clean: clean.img, weak: [], strong: [] } }
        const cpu = process.cpuUsage()
        const { labels, timing } = await pseudoLabelsThroughOnnx({ topology: { format: 'common-ground-training', method: head.model.method, classes: ['negative', 'neutral', 'positive'], step: 0, inputs: head.model.dims }, weights: new Map(head.model.weights), preprocessing: null }, u, {
          classes: C,
          plfThreshold: head.model.method === 'scdr' ? 0.5 : null,
        })
        // What no code can beat on this machine: one pass's multiply-adds at the peak measured above.
        // ORT's two threads and the rules share one CPU figure (on the first stage).
        const stages: Stage[] = [
          { name: 'ONNX clean pass', wall: timing.onnxMs, cpu: cpuMs(cpu) },
          { name: 'rules', wall: timing.rulesMs, cpu: 0 },
        ]
        await finish(`pseudo-labels, ${POSTS / 1000}k posts, ${head.model.method}`, head.model.method, labels, stages, (POSTS * head.flops) / (peak * 1e6))
      }
      store.close()
    })
    return figures
  },
}
