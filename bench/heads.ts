// The heads the inference benches run, with random weights of the real shapes: the default method's
// linear head (self-training), the fusion MLP (supervised / FixMatch) and SCDR, each with its FLOPs
// per post from the layer shapes.
import { makeConfig } from '#main/training/config'
import type { Matrix } from '#main/training/data'
import { fusionMethod } from '#main/training/methods/fusion'
import { scdrSpecs } from '#main/training/models/scdr'
import { NO_CALIBRATION, type HeadModel, type WeightArray } from '#main/training/onnx/head-graph'
import type { ParamSpec } from '#main/training/params'
import { Rng } from '#main/training/rng'

export const C = 3

export const random = (n: number, rng: Rng, scale = 1): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale))

/** Features: a block of 65,537 random values tiled (drawing 300M values would take minutes; the arithmetic is the same). */
export function matrix(rows: number, dim: number, rng: Rng): Matrix {
  const block = random(65_537, rng)
  const data = new Float32Array(rows * dim)
  for (let at = 0; at < data.length; at += block.length) data.set(block.subarray(0, Math.min(block.length, data.length - at)), at)
  return { rows, dim, data }
}

function weightsOf(specs: ParamSpec[], rng: Rng): Map<string, WeightArray> {
  return new Map(specs.map((s) => [s.name, { shape: s.shape, values: s.shape.length === 0 ? Float32Array.of(1) : random(s.shape.reduce((a, b) => a * b, 1), rng, 1 / Math.sqrt(s.fanIn)) }]))
}

export interface HeadCase {
  name: string
  model: HeadModel
  /** Multiply-adds ×2 per post, from the layer shapes. */
  flops: number
}

/** The fusion MLP, a random scaler baked into the graph (as `predict`'s models have it). */
export function fusionCase(name: string, text: number, image: number, hidden: number, rng: Rng): HeadCase {
  const config = makeConfig('default', { method: 'supervised', clsHidden: hidden })
  const specs = fusionMethod(config, { txt: text, img: image, clsHidden: hidden, classes: C }, null).specs
  const scaler = (d: number) => ({ mean: random(d, rng), inverseStd: Float32Array.from({ length: d }, () => rng.uniform(0.5, 2)) })
  const model: HeadModel = { method: 'supervised', weights: weightsOf(specs, rng), dims: { text, image }, classes: C, standardize: { text: scaler(text), image: scaler(image) }, calibration: NO_CALIBRATION }
  return { name, model, flops: 2 * ((text + image) * hidden + hidden * C) }
}

/** Self-training's linear head, [text | image] · w + b (the default method). */
export function linearCase(text: number, image: number, rng: Rng): HeadCase {
  const dim = text + image
  const weights = new Map<string, WeightArray>([
    ['w', { shape: [dim, C], values: random(dim * C, rng, 1 / Math.sqrt(dim)) }],
    ['b', { shape: [C], values: random(C, rng) }],
  ])
  const model: HeadModel = { method: 'self-training', weights, dims: { text, image }, classes: C, standardize: null, calibration: NO_CALIBRATION }
  return { name: 'linear', model, flops: 2 * dim * C }
}

export function scdrCase(name: string, text: number, image: number, h: number, hc: number, rng: Rng): HeadCase {
  const specs = scdrSpecs({ txt: text, img: image, hidden: h, clsHidden: hc, classes: C }, false)
  const model: HeadModel = { method: 'scdr', weights: weightsOf(specs, rng), dims: { text, image }, classes: C, standardize: null, calibration: NO_CALIBRATION }
  const macs = text * h + image * h + 4 * h * h /* et, ev, ec twice */ + (3 * h * h + h * C) /* selector */ + 7 * h * h /* q; k, v over 3 tokens */ + 5 * (h * hc + hc * C) /* cm; ct, cv twice */
  return { name, model, flops: 2 * macs }
}
