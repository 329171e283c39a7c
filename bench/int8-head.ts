// Would int8 change the pseudo-labels? A finished run's head graph (standardisation and calibration
// baked in, as `predict` runs it) against the same graph with every float MatMul on an input of
// more than 256 features (the first layer) dynamically quantised (ONNX DynamicQuantizeLinear + MatMulInteger: activations
// uint8 per tensor, weights int8 per column, symmetric; ORT's MLAS uses VNNI where the CPU has it).
// On the project's real posts: argmax agreement and the largest probability gap; on 32,768 rows
// tiled from them, posts/s of each (best of 3, same session options).
//   node bin/run-ts.mjs bench/int8-head.ts --db COPY.db --run ID
import { parseArgs } from 'node:util'
import onnxProto from 'onnx-proto'
import { openStore } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import { modelFolderOf } from '#main/exports/export-model'
import { modelOfRun } from '#main/training/onnx/predict-posts'
import { HeadSession } from '#main/training/onnx/head-session'
import type { Matrix } from '#main/training/data'
import { runCalibration } from '#main/app/handlers/run-calibration'

const { onnx } = onnxProto
const { values } = parseArgs({ options: { db: { type: 'string' }, run: { type: 'string' } } })
if (!values.db || !values.run) throw new Error('usage: node bin/run-ts.mjs bench/int8-head.ts --db COPY.db --run ID')

/** The graph with each large float MatMul (B an initializer of more than 256 rows: the first layer) replaced by its dynamically quantised form. */
function quantised(bytes: Uint8Array): { bytes: Uint8Array; replaced: number } {
  const model = onnx.ModelProto.decode(bytes)
  const graph = model.graph!
  const inits = new Map(graph.initializer!.map((t) => [t.name!, t]))
  const nodes: onnxProto.onnx.INodeProto[] = []
  let replaced = 0
  for (const n of graph.node!) {
    const w = n.opType === 'MatMul' ? inits.get(n.input![1]!) : undefined
    if (!w || w.dataType !== onnx.TensorProto.DataType.FLOAT || Number(w.dims![0]) <= 256) {
      nodes.push(n)
      continue
    }
    const [rows, cols] = w.dims!.map(Number) as [number, number]
    const raw = w.rawData!
    const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
    const scale = new Float32Array(cols)
    for (let c = 0; c < cols; c++) {
      let max = 0
      for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(f[r * cols + c]!))
      scale[c] = max > 0 ? max / 127 : 1
    }
    const q = Int8Array.from(f, (v, i) => Math.max(-127, Math.min(127, Math.round(v / scale[i % cols]!))))
    const p = `${n.output![0]}_q`
    graph.initializer!.push({ name: `${p}_w`, dims: [rows, cols], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(q.buffer) })
    graph.initializer!.push({ name: `${p}_ws`, dims: [cols], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(scale.buffer) })
    const mk = (opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = []): void => void nodes.push({ opType, input, output, name: output[0], attribute })
    mk('DynamicQuantizeLinear', [n.input![0]!], [`${p}_x`, `${p}_xs`, `${p}_xz`])
    mk('MatMulInteger', [`${p}_x`, `${p}_w`, `${p}_xz`], [`${p}_i`])
    mk('Cast', [`${p}_i`], [`${p}_f`], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }])
    mk('Mul', [`${p}_xs`, `${p}_ws`], [`${p}_s`])
    mk('Mul', [`${p}_f`, `${p}_s`], [n.output![0]!])
    replaced++
  }
  graph.node = nodes
  return { bytes: onnx.ModelProto.encode(model).finish(), replaced }
}

const store = openStore(values.db)
const runId = Number(values.run)
const run = store.runs.summary(runId)
if (!run || run.status !== 'done') throw new Error(`run ${runId} is not a finished run of ${values.db}`)
const model = modelOfRun(modelFolderOf(store.runDir(run.projectId, runId)), { id: runId, method: run.method, preset: run.preset, finishedAt: run.finishedAt }, 'bench', runCalibration(store, runId))
const { text, image } = model.metadata.encoders
const repo = new FeaturesRepo(store.db)
const tv = repo.readAll(run.projectId, text.id, 'clean', text.dim)
const iv = repo.readAll(run.projectId, image.id, 'clean', image.dim)
const ids = [...tv.keys()].filter((id) => iv.has(id))
const gather = (vectors: Map<number, Float32Array>, dim: number, rows: number): Matrix => {
  const data = new Float32Array(rows * dim)
  for (let i = 0; i < rows; i++) data.set(vectors.get(ids[i % ids.length]!)!, i * dim)
  return { rows, dim, data }
}
const float = await HeadSession.open(model.graph as Uint8Array)
const q = quantised(model.graph as Uint8Array)
const int8 = await HeadSession.open(q.bytes)
const [t, im] = [gather(tv, text.dim, ids.length), gather(iv, image.dim, ids.length)]
const a = (await float.run(t, im)).probabilities
const b = (await int8.run(t, im)).probabilities
let agree = 0
let gap = 0
const argmax = (p: Float32Array, i: number): number => [0, 1, 2].reduce((best, c) => (p[i * 3 + c]! > p[i * 3 + best]! ? c : best), 0)
for (let i = 0; i < ids.length; i++) {
  if (argmax(a, i) === argmax(b, i)) agree++
  for (let c = 0; c < 3; c++) gap = Math.max(gap, Math.abs(a[i * 3 + c]! - b[i * 3 + c]!))
}
const big = { t: gather(tv, text.dim, 32_768), i: gather(iv, image.dim, 32_768) }
const rate = async (s: HeadSession): Promise<number> => {
  await s.run(big.t, big.i)
  let best = Infinity
  for (let k = 0; k < 3; k++) {
    const started = performance.now()
    await s.run(big.t, big.i)
    best = Math.min(best, performance.now() - started)
  }
  return big.t.rows / (best / 1000)
}
const rates = { float: await rate(float), int8: await rate(int8), float2: await rate(float), int82: await rate(int8) }
console.log(`run ${runId} (${run.method}), ${ids.length} posts, ${q.replaced} MatMuls quantised`)
console.log(`argmax agreement: ${agree} / ${ids.length} = ${((100 * agree) / ids.length).toFixed(2)} %`)
console.log(`largest probability gap: ${gap.toFixed(4)}`)
console.log(`posts/s float32: ${rates.float.toFixed(0)}, ${rates.float2.toFixed(0)}; int8: ${rates.int8.toFixed(0)}, ${rates.int82.toFixed(0)}; int8 / float32 ${((rates.int8 + rates.int82) / (rates.float + rates.float2)).toFixed(2)}×`)
await float.release()
await int8.release()
store.close()
