// Text-guided fusion as ONNX nodes (models/text-guided.ts, our reading of ALGORITHMS §4.1): the
// image input split into its pooled vector and its region rows, the text-oriented multi-head
// attention over the regions, and the fusion model's fused feature. The same products as the
// trainer's, so the graph's logits equal the TensorFlow.js model's (tests/unit/training-text-guided.test.ts).
import type { GraphBuilder, DenseWeights } from './graph-builder'

/** What the graph needs to know beside the weights: where the regions sit and how the fusion was set. */
export interface TextGuidedLayout {
  pooled: number
  cells: number
  channels: number
  heads: number
  combine: 'gate' | 'concat'
}

type Weight = (name: string) => DenseWeights['w']

const dense = (w: Weight, name: string, biasName: string): DenseWeights => ({ w: w(name), b: w(biasName) })

/** image [N, pooled + cells·channels] → pooled [N, pooled] and regions [N, cells, channels]. */
export function splitImageNodes(g: GraphBuilder, image: string, layout: TextGuidedLayout): { pooled: string; regions: string } {
  const axis = g.int64('tgf_axis1', [1])
  const end = layout.pooled + layout.cells * layout.channels
  const pooled = g.op('Slice', [image, g.int64('tgf_zero', [0]), g.int64('tgf_pooled_end', [layout.pooled]), axis])
  const flat = g.op('Slice', [image, g.int64('tgf_regions_start', [layout.pooled]), g.int64('tgf_regions_end', [end]), axis])
  return { pooled, regions: g.op('Reshape', [flat, g.int64('tgf_regions_shape', [-1, layout.cells, layout.channels])]) }
}

/** models/text-guided.ts `attendRegions`: query [N, q] over regions [N, K, C] → [N, out]. */
export function attendRegionsNodes(g: GraphBuilder, query: string, regions: string, w: Weight, cells: number, heads: number): string {
  const d = w('tgf.wq').shape[1]!
  const dh = d / heads
  const q = g.op('Reshape', [g.dense(query, dense(w, 'tgf.wq', 'tgf.bq'), 'tgf_q'), g.int64('tgf_q_shape', [-1, 1, heads, dh])])
  const kvShape = g.int64('tgf_kv_shape', [-1, cells, heads, dh])
  const k = g.op('Reshape', [g.dense(regions, dense(w, 'tgf.wk', 'tgf.bk'), 'tgf_k'), kvShape])
  const v = g.op('Reshape', [g.dense(regions, dense(w, 'tgf.wv', 'tgf.bv'), 'tgf_v'), kvShape])
  const scores = g.op('Div', [g.op('ReduceSum', [g.op('Mul', [k, q]), g.int64('tgf_axis3', [3])], { keepdims: 0 }), g.constant('tgf_scale', [], [Math.sqrt(dh)])])
  const a = g.op('Unsqueeze', [g.op('Softmax', [scores], { axis: 1 }), g.int64('tgf_axis3u', [3])])
  const heads3 = g.op('ReduceSum', [g.op('Mul', [a, v]), g.int64('tgf_axis1r', [1])], { keepdims: 0 })
  return g.dense(g.op('Reshape', [heads3, g.int64('tgf_out_shape', [-1, d])]), dense(w, 'tgf.wo', 'tgf.bo'), 'tgf_o')
}

/** The fusion model's logits: e_t, the attention, the mapping ẽ_v, the gate (or concat), the MLP. */
export function textGuidedLogits(g: GraphBuilder, text: string, image: string, w: Weight, layout: TextGuidedLayout): string {
  const { pooled, regions } = splitImageNodes(g, image, layout)
  const et = g.op('Relu', [g.dense(text, dense(w, 'tgf.wt', 'tgf.bt'), 'tgf_t')])
  const o = attendRegionsNodes(g, et, regions, w, layout.cells, layout.heads)
  const ev = g.op('Relu', [g.dense(g.op('Concat', [o, pooled], { axis: 1 }), dense(w, 'tgf.wm', 'tgf.bm'), 'tgf_m')])
  const both = g.op('Concat', [et, ev], { axis: 1 })
  let fused = both
  if (layout.combine === 'gate') {
    const gate = g.op('Sigmoid', [g.dense(both, dense(w, 'tgf.wg', 'tgf.bg'), 'tgf_g')])
    fused = g.op('Add', [g.op('Mul', [gate, et]), g.op('Mul', [g.op('Sub', [g.constant('tgf_one', [], [1]), gate]), ev])])
  }
  return g.mlp(fused, dense(w, 'w1', 'b1'), dense(w, 'w2', 'b2'), 'fusion')
}
