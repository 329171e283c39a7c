// Text-guided fusion on cached features: our reading of SETGF's TGFM (ALGORITHMS §4.1 gives no
// equations, only the names "text-oriented multi-head attention" and "text-guided cross-modal
// mappings"; this is a reading, not the paper's model). Per post, with the text feature t, the
// pooled image vector v and the image's K region rows r_1..r_K (a grid of the image encoder's last
// feature map):
//   e_t = ReLU(t·W_t + b_t)                                   the text in a d-wide space
//   o   = MHA(query e_t; keys and values r_1..r_K)·W_o + b_o    text-oriented multi-head attention:
//         head j: a_jk = softmax_k((e_t·W_q)_j · (r_k·W_k)_j / √(d/H)), o_j = Σ_k a_jk (r_k·W_v)_j
//   ẽ_v = ReLU([o; v]·W_m + b_m)                              the text-guided mapping of the image into e_t's space
//   f   = g ⊙ e_t + (1 − g) ⊙ ẽ_v, g = σ([e_t; ẽ_v]·W_g + b_g)   (combine 'gate'), or f = [e_t; ẽ_v] ('concat')
//   logits = ReLU(f·W_1 + b_1)·W_2 + b_2                      the fusion MLP's classifier
// SCDR uses the attention alone: its common token becomes c_t + c_v + o, with x_t (SCDR's text
// projection) as the query (methods/scdr.ts).
import * as tf from '@tensorflow/tfjs'
import type { TgfSettings } from '#shared/runs'
import type { RegionLayout } from '../data'
import { linear } from '../ops/linear'
export type { RegionLayout } from '../data'
import { bias, weight, type ParamSpec, type Weights } from '../params'


const w2 = (w: Weights, name: string): tf.Tensor2D => w.get(name) as tf.Tensor2D
const w1 = (w: Weights, name: string): tf.Tensor1D => w.get(name) as tf.Tensor1D

/** The attention's weights: a query of width `query`, `tgf.dim` inside, an output of width `out`. */
export function attentionSpecs(layout: RegionLayout, query: number, d: number, out: number): ParamSpec[] {
  return [
    weight('tgf.wq', query, d),
    bias('tgf.bq', query, d),
    weight('tgf.wk', layout.channels, d),
    bias('tgf.bk', layout.channels, d),
    weight('tgf.wv', layout.channels, d),
    bias('tgf.bv', layout.channels, d),
    weight('tgf.wo', d, out),
    bias('tgf.bo', d, out),
  ]
}

/** The fusion model's weights (the classifier keeps the fusion MLP's names w1, b1, w2, b2). */
export function textGuidedSpecs(layout: RegionLayout, txt: number, s: TgfSettings, clsHidden: number, classes: number): ParamSpec[] {
  const d = s.dim
  const fused = s.combine === 'gate' ? d : 2 * d
  return [
    weight('tgf.wt', txt, d),
    bias('tgf.bt', txt, d),
    ...attentionSpecs(layout, d, d, d),
    weight('tgf.wm', d + layout.pooled, d),
    bias('tgf.bm', d + layout.pooled, d),
    ...(s.combine === 'gate' ? [weight('tgf.wg', 2 * d, d), bias('tgf.bg', 2 * d, d)] : []),
    weight('w1', fused, clsHidden),
    bias('b1', fused, clsHidden),
    weight('w2', clsHidden, classes),
    bias('b2', clsHidden, classes),
  ]
}

/** An image row block split into its pooled vector [n, pooled] and its regions [n·cells, channels]. */
export function splitImage(img: tf.Tensor2D, layout: RegionLayout): { pooled: tf.Tensor2D; regions: tf.Tensor2D } {
  const n = img.shape[0]
  const pooled = tf.slice(img, [0, 0], [n, layout.pooled])
  const regions = tf.reshape(tf.slice(img, [0, layout.pooled], [n, layout.cells * layout.channels]), [n * layout.cells, layout.channels]) as tf.Tensor2D
  return { pooled, regions }
}

/**
 * Multi-head attention of one query per post over the post's K regions → [n, out]; `weights` of
 * the attention (per post, head): the probabilities, [n, K, H], for tests and inspection.
 */
export function attendRegions(w: Weights, query: tf.Tensor2D, regions: tf.Tensor2D, cells: number, heads: number): { out: tf.Tensor2D; weights: tf.Tensor3D } {
  const n = query.shape[0]
  const d = w2(w, 'tgf.wq').shape[1]
  const dh = d / heads
  const q = tf.reshape(linear(query, w2(w, 'tgf.wq'), w1(w, 'tgf.bq')), [n, 1, heads, dh])
  // Regions are data: no gradient is needed for them.
  const k = tf.reshape(linear(regions, w2(w, 'tgf.wk'), w1(w, 'tgf.bk'), { inputGrad: false }), [n, cells, heads, dh])
  const v = tf.reshape(linear(regions, w2(w, 'tgf.wv'), w1(w, 'tgf.bv'), { inputGrad: false }), [n, cells, heads, dh])
  // Elementwise products and sums, not batched matMul (tfjs-wasm's slow path; models/scdr.ts).
  const scores = tf.div(tf.sum(tf.mul(k, q), 3), Math.sqrt(dh)) as tf.Tensor3D // [n, K, H]
  const a = tf.transpose(tf.softmax(tf.transpose(scores, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D // softmax over K
  const heads3 = tf.sum(tf.mul(tf.expandDims(a, 3), v), 1) // [n, H, dh]
  const out = linear(tf.reshape(heads3, [n, d]) as tf.Tensor2D, w2(w, 'tgf.wo'), w1(w, 'tgf.bo'))
  return { out, weights: a }
}

/** The fused feature f of the reading above, [n, d] ('gate') or [n, 2d] ('concat'). */
export function textGuidedFeature(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, layout: RegionLayout, s: TgfSettings): tf.Tensor2D {
  const { pooled, regions } = splitImage(img, layout)
  const et = linear(txt, w2(w, 'tgf.wt'), w1(w, 'tgf.bt'), { relu: true, inputGrad: false })
  const { out } = attendRegions(w, et, regions, layout.cells, s.heads)
  const ev = linear(tf.concat([out, pooled], 1), w2(w, 'tgf.wm'), w1(w, 'tgf.bm'), { relu: true })
  if (s.combine === 'concat') return tf.concat([et, ev], 1)
  const g = tf.sigmoid(linear(tf.concat([et, ev], 1), w2(w, 'tgf.wg'), w1(w, 'tgf.bg')))
  return tf.add(tf.mul(g, et), tf.mul(tf.sub(1, g), ev))
}

export const textGuidedHidden = (w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, layout: RegionLayout, s: TgfSettings): tf.Tensor2D =>
  linear(textGuidedFeature(w, txt, img, layout, s), w2(w, 'w1'), w1(w, 'b1'), { relu: true })

/**
 * How focused the attention is, for the curves: 1 − (mean over posts and heads of the entropy of the
 * weights over the K regions) / log K. 0: every region weighed alike; 1: each head reads one region.
 */
export function attentionFocus(weights: tf.Tensor3D): number {
  const [n, cells, heads] = weights.shape
  if (cells < 2 || n === 0) return 0
  const a = weights.dataSync()
  let entropy = 0
  for (let i = 0; i < a.length; i++) if (a[i]! > 0) entropy -= a[i]! * Math.log(a[i]!)
  return 1 - entropy / (n * heads) / Math.log(cells)
}

/** The fusion model's attention focus on some posts (its labeled rows, in a step). */
export function textGuidedFocus(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, layout: RegionLayout, s: TgfSettings): number {
  const { regions } = splitImage(img, layout)
  const et = linear(txt, w2(w, 'tgf.wt'), w1(w, 'tgf.bt'), { relu: true, inputGrad: false })
  return attentionFocus(attendRegions(w, et, regions, layout.cells, s.heads).weights)
}
