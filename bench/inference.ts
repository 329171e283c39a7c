// Head inference through onnxruntime-node on cached features, the path `predict` and the end-of-run
// pseudo-labels take. In one run: the machine's matrix peak (a large square MatMul in the same
// runtime, same thread settings; the best of samples taken between the heads), each head's posts/s and its share of that peak for the
// head's FLOPs; then the end-of-run pseudo-labelling of 100,000 posts end to end from the feature
// cache, stage by stage, before and after (pseudo-labelling.ts; alone: `npm run bench pseudo-labelling`).
import { builtInPairInfo, CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import type { Matrix } from '#main/training/data'
import { GraphBuilder } from '#main/training/onnx/graph-builder'
import { buildHeadGraph } from '#main/training/onnx/head-graph'
import { HeadSession } from '#main/training/onnx/head-session'
import { Rng } from '#main/training/rng'
import { buildModel } from '#main/features/onnx-builder/proto'
import { openSession, ort } from '#main/features/encoders/onnx-session'
import { POSTS } from './fixture'
import { fusionCase, matrix, random, scdrCase, type HeadCase } from './heads'
import { pseudoLabelling } from './pseudo-labelling'
import { withScratch, type Bench, type Figure } from './harness'

const ROWS = 32_768

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

export const inference: Bench = {
  name: 'inference',
  async run() {
    const figures: Figure[] = []
    // The peak is sampled before the heads and after each one, and the best sample is the peak: a
    // VM's slow second under one sample (148 against 357 GFLOP/s, 2026-12-07) made shares above 100 %.
    const peaks: number[] = []
    const samplePeak = async (): Promise<void> => {
      peaks.push(Math.max(await matmulPeak(2048, 4), await matmulPeak(1536, 4)))
    }
    await samplePeak()
    const rng = new Rng(7)
    // The heads on the current default pair's features, so the labels name the sizes they run.
    const pair = builtInPairInfo(CURRENT_DEFAULT)!
    const [txt, img] = [pair.text.dim, pair.image.dim]
    const heads = [
      fusionCase('MLP 1024→256→3 (the issue\'s reference)', 512, 512, 256, rng),
      fusionCase(`fusion ${txt}+${img}→256→3 (default pair ${pair.id}, supervised/fixmatch)`, txt, img, 256, rng),
      scdrCase(`SCDR d=128, heads 256 (default preset, default pair ${pair.id} ${txt}+${img})`, txt, img, 128, 256, rng),
    ]
    const rates: number[] = []
    for (const head of heads) {
      const text = matrix(ROWS, head.model.dims.text, rng)
      const image = matrix(ROWS, head.model.dims.image, rng)
      rates.push(await postsPerSecond(head, text, image))
      await samplePeak()
    }
    const peak = Math.max(...peaks)
    figures.push({ bench: 'infer', metric: 'matrix peak: ORT MatMul 2048² (2 threads), best of the run', value: peak, unit: 'GFLOP/s' })
    figures.push({ bench: 'infer', metric: `  its ${peaks.length} samples (before the heads, after each), slowest`, value: Math.min(...peaks), unit: 'GFLOP/s' })
    heads.forEach((head, i) => {
      const rate = rates[i]!
      figures.push({ bench: 'infer', metric: `${head.name}: posts/s`, value: rate, unit: 'posts/s' })
      figures.push({ bench: 'infer', metric: `${head.name}: share of peak (${(head.flops / 1e6).toFixed(2)} MFLOP/post)`, value: (100 * rate * head.flops) / 1e9 / peak, unit: '%', target: '≥ 50 %' })
    })

    // End-of-run pseudo-labelling at 100,000 posts, from the feature cache, stage by stage (pseudo-labelling.ts).
    figures.push(...(await withScratch((dir) => pseudoLabelling(dir, (head) => (POSTS * head.flops) / (peak * 1e6)))))
    return figures
  },
}
