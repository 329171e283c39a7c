// SCDR's trainable part on cached features (ALGORITHMS §1.3): projections, private and common
// encoders, decoders with cycle re-encoding, three classifier heads, the modal selector and the
// 3-token attention. Weights are [in, out] (x·w); PyTorch stores [out, in].
import * as tf from '@tensorflow/tfjs'
import type { RegionLayout } from '../data'
import { linear } from '../ops/linear'
import { bias, weight, type ParamSpec, type Weights } from '../params'
import { attendRegions, attentionSpecs, splitImage } from './text-guided'

export interface ScdrDims {
  txt: number
  img: number
  /** d = 512 in the paper. */
  hidden: number
  /** The heads' hidden width, 1024 in the paper. */
  clsHidden: number
  classes: number
  /**
   * Text-guided fusion: the image rows hold region rows after their pooled vector; P_v reads the
   * pooled vector and the common token gains the text-queried attention over the regions.
   */
  tgf?: { layout: RegionLayout; heads: number; dim: number }
}

export const HEADS = ['ct', 'cv', 'cm'] as const
export type Head = (typeof HEADS)[number]

export function scdrSpecs(d: ScdrDims, selectorTrainable: boolean): ParamSpec[] {
  const h = d.hidden
  const head = (name: Head): ParamSpec[] => [
    weight(`${name}.w1`, h, d.clsHidden),
    bias(`${name}.b1`, h, d.clsHidden),
    weight(`${name}.w2`, d.clsHidden, d.classes),
    bias(`${name}.b2`, d.clsHidden, d.classes),
  ]
  const sel = { trainable: selectorTrainable }
  return [
    weight('pt', d.txt, h),
    weight('pv', d.tgf ? d.tgf.layout.pooled : d.img, h),
    ...(d.tgf ? attentionSpecs(d.tgf.layout, h, d.tgf.dim, h) : []),
    weight('et', h, h),
    weight('ev', h, h),
    weight('ec', h, h),
    weight('dt', 2 * h, h),
    weight('dv', 2 * h, h),
    ...HEADS.flatMap(head),
    ...(['q', 'k', 'v'] as const).flatMap((x) => [weight(`att.w${x}`, h, h), bias(`att.b${x}`, h, h)]),
    // The attention's temperature: a learnable scalar starting at 1 (not √d); decayed like any non-bias.
    { name: 'att.sigma', shape: [], fanIn: 1, init: 1, trainable: true, decay: true },
    weight('sel.w1', 3 * h, h, sel),
    bias('sel.b1', 3 * h, h, sel),
    weight('sel.w2', h, 3, sel),
    bias('sel.b2', h, 3, sel),
  ]
}

const w2 = (w: Weights, name: string): tf.Tensor2D => w.get(name) as tf.Tensor2D
const w1 = (w: Weights, name: string): tf.Tensor1D => w.get(name) as tf.Tensor1D

export interface Encoded {
  x: { t: tf.Tensor2D; v: tf.Tensor2D }
  /** Private features s_t, s_v. */
  s: { t: tf.Tensor2D; v: tf.Tensor2D }
  /** Common features c_t, c_v and their sum c_m. */
  c: { t: tf.Tensor2D; v: tf.Tensor2D; m: tf.Tensor2D }
  /** Reconstructions of x and the private features re-encoded from them (cycle). */
  r: { t: tf.Tensor2D; v: tf.Tensor2D }
  sr: { t: tf.Tensor2D; v: tf.Tensor2D }
}

/** One modality: x = P·h; [s | c] = x·[E_private | E_c] in one product; r = D·[s; c]; s' = E_private·r. */
function encodeModality(w: Weights, input: tf.Tensor2D, p: string, e: string, dec: string, h: number) {
  const x = linear(input, w2(w, p), undefined, { inputGrad: false })
  const sc = linear(x, tf.concat([w2(w, e), w2(w, 'ec')], 1))
  const r = linear(sc, w2(w, dec))
  return { x, s: tf.slice(sc, [0, 0], [-1, h]), c: tf.slice(sc, [0, h], [-1, h]), r, sr: linear(r, w2(w, e)) }
}

/**
 * With `tgf` (text-guided fusion, models/text-guided.ts): x_t queries the post's image regions and
 * the attention's output joins the common token, c_m = c_t + c_v + o; the private tokens stay unimodal.
 */
export function encode(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, hidden: number, tgf?: ScdrDims['tgf']): Encoded {
  const split = tgf ? splitImage(img, tgf.layout) : null
  const t = encodeModality(w, txt, 'pt', 'et', 'dt', hidden)
  const v = encodeModality(w, split ? split.pooled : img, 'pv', 'ev', 'dv', hidden)
  const common: tf.Tensor2D = tf.add(t.c, v.c)
  return {
    x: { t: t.x, v: v.x },
    s: { t: t.s, v: v.s },
    c: { t: t.c, v: v.c, m: split ? tf.add<tf.Tensor2D>(common, attendRegions(w, t.x, split.regions, tgf!.layout.cells, tgf!.heads).out) : common },
    r: { t: t.r, v: v.r },
    sr: { t: t.sr, v: v.sr },
  }
}

/** Cls(z) = W2·h + b2 with h = ReLU(W1·z + b1); h is the head's post-layer-1 feature (what ULGM reads). */
export function headLayers(w: Weights, name: Head, z: tf.Tensor2D): { hidden: tf.Tensor2D; logits: tf.Tensor2D } {
  const hidden = linear(z, w2(w, `${name}.w1`), w1(w, `${name}.b1`), { relu: true })
  return { hidden, logits: linear(hidden, w2(w, `${name}.w2`), w1(w, `${name}.b2`)) }
}

/** Cls(z) = W2·ReLU(W1·z + b1) + b2. */
export const head = (w: Weights, name: Head, z: tf.Tensor2D): tf.Tensor2D => headLayers(w, name, z).logits

/** The modal selector's logits g = MLP_sel([s_t; s_v; c_m]). */
export const selectorLogits = (w: Weights, tokens: tf.Tensor2D): tf.Tensor2D =>
  linear(linear(tokens, w2(w, 'sel.w1'), w1(w, 'sel.b1'), { relu: true }), w2(w, 'sel.w2'), w1(w, 'sel.b2'))

/**
 * f_i = row k_i of softmax(Q_i K_iᵀ / sigma) V_i over the tokens (s_t, s_v, c_m) of sample i.
 * Only the selected token's query is needed, so Q is computed for that row alone, and the 3×3
 * products become elementwise sums: no batched matMul (tfjs-wasm's slow path).
 */
export function attend(w: Weights, s: { t: tf.Tensor2D; v: tf.Tensor2D }, cm: tf.Tensor2D, selected: Int32Array): tf.Tensor2D {
  const [n, h] = cm.shape
  const tokens = tf.concat([s.t, s.v, cm], 0)
  const kv = linear(tokens, tf.concat([w2(w, 'att.wk'), w2(w, 'att.wv')], 1), tf.concat([w1(w, 'att.bk'), w1(w, 'att.bv')]))
  const k = tf.reshape(tf.slice(kv, [0, 0], [-1, h]), [3, n, h])
  const v = tf.reshape(tf.slice(kv, [0, h], [-1, h]), [3, n, h])
  // [3, n, 1] one-hot of the selected token per sample: a constant, like SCRD's argmax.
  const pick = tf.tensor3d(Float32Array.from({ length: 3 * n }, (_, i) => (selected[i % n] === Math.floor(i / n) ? 1 : 0)), [3, n, 1])
  const chosen = tf.sum(tf.mul(tf.reshape(tokens, [3, n, h]), pick), 0) as tf.Tensor2D
  const q = linear(chosen, w2(w, 'att.wq'), w1(w, 'att.bq'))
  const scores = tf.div(tf.transpose(tf.sum(tf.mul(k, q), 2)), w.get('att.sigma')!) as tf.Tensor2D
  const a = tf.reshape(tf.transpose(tf.softmax(scores)), [3, n, 1])
  return tf.sum(tf.mul(a, v), 0) as tf.Tensor2D
}
