// SPP-SCL's trainable part on cached features (ALGORITHMS §2.2), adapted where the cache must:
// the frozen backbones' outputs are the cached vectors, so the text HA + BiLSTM and the image
// 1×1 conv + GAP become one Linear → ReLU each (128); the projections keep their shapes
// (Linear 128→32 → ReLU → Linear 32→32 "Contra", then Linear 32→32 → ReLU "Align") without
// BatchNorm, whose running statistics a per-post prediction from the exported head would need;
// and CMF's attention across the mini-batch (QUIRK: a post's prediction depends on its batch) is
// read per post: a softmax over a single key is 1, so each side's attended value is V(·) of the
// other modality's own projection. Dropout sits where the released code has it.
import * as tf from '@tensorflow/tfjs'
import type { SppSclSettings } from '#shared/runs'
import { linear } from '../ops/linear'
import { bias, weight, type ParamSpec, type Weights } from '../params'

export interface SppSclDims {
  txt: number
  img: number
  classes: number
}

type Sizes = Pick<SppSclSettings, 'branch' | 'dim' | 'fusionHidden'>

const dense = (name: string, fanIn: number, fanOut: number): ParamSpec[] => [weight(`${name}.w`, fanIn, fanOut), bias(`${name}.b`, fanIn, fanOut)]

/** Parameter names by layer: tl/il (branch), tc1/tc2 + ic1/ic2 (Contra), ta/ia (Align), vt/vi (CMF values), f1/f2 (classifier). */
export function sppSclSpecs(d: SppSclDims, s: Sizes): ParamSpec[] {
  return [
    ...dense('tl', d.txt, s.branch),
    ...dense('il', d.img, s.branch),
    ...dense('tc1', s.branch, s.dim),
    ...dense('tc2', s.dim, s.dim),
    ...dense('ic1', s.branch, s.dim),
    ...dense('ic2', s.dim, s.dim),
    ...dense('ta', s.dim, s.dim),
    ...dense('ia', s.dim, s.dim),
    ...dense('vt', s.dim, s.dim),
    ...dense('vi', s.dim, s.dim),
    ...dense('f1', 4 * s.dim, s.fusionHidden),
    ...dense('f2', s.fusionHidden, d.classes),
  ]
}

/** Inverted dropout with a seeded mask per call site, or nothing (evaluation, rate 0). */
export type Dropout = (x: tf.Tensor2D, site: number) => tf.Tensor2D

export const noDropout: Dropout = (x) => x

/** Masks drawn from `seed` and the site: the same seed gives the same masks (a resumed run repeats them). */
export const seededDropout =
  (rate: number, seed: number): Dropout =>
  (x, site) =>
    rate > 0 ? (tf.dropout(x, rate, undefined, seed * 16 + site) as tf.Tensor2D) : x

export interface SppSclForward {
  logits: tf.Tensor2D
  /** T_Align, I_Align: the projections the contrastive losses read. */
  tp: tf.Tensor2D
  ip: tf.Tensor2D
}

const layer = (w: Weights, name: string, x: tf.Tensor2D, relu = false, inputGrad = true): tf.Tensor2D =>
  linear(x, w.get(`${name}.w`) as tf.Tensor2D, w.get(`${name}.b`) as tf.Tensor1D, { relu, inputGrad })

/** The forward pass; `only` 'projections' stops after T_Align / I_Align (step 2 reads nothing else). */
export function sppSclForward(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, drop: Dropout, only: 'all' | 'projections' = 'all'): SppSclForward {
  const tl = layer(w, 'tl', txt, true, false)
  const il = drop(layer(w, 'il', img, true, false), 0)
  const tp0 = layer(w, 'tc2', drop(layer(w, 'tc1', tl, true), 1))
  const ip0 = layer(w, 'ic2', drop(layer(w, 'ic1', il, true), 2))
  const tp = drop(layer(w, 'ta', tp0, true), 3)
  const ip = drop(layer(w, 'ia', ip0, true), 4)
  if (only === 'projections') return { logits: tf.zeros([txt.shape[0], 0]), tp, ip }
  const tm = drop(layer(w, 'vt', tp), 5)
  const im = drop(layer(w, 'vi', ip), 6)
  const hidden = drop(layer(w, 'f1', tf.concat([tm, im, ip, tp], 1), true), 7)
  return { logits: layer(w, 'f2', hidden), tp, ip }
}
