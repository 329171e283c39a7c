// A trained run as one ONNX graph on raw cached features: standardise → the run's head(s) → + the
// logit adjustment → / the temperature → softmax. The fused head's raw logits are an output too
// (they equal the TensorFlow.js model's, `tests/unit/onnx-head.test.ts`), and SCDR adds what the
// review queue shows: its unimodal heads, the selected token, and the heads read on the common
// feature (the PLF's inputs). Every method's graph is written out here; an unknown one is refused.
import { buildModel } from '#main/features/onnx-builder/proto'
import type { RunMethod } from '#shared/runs'
import { GraphBuilder, type DenseWeights } from './graph-builder'
import { attendRegionsNodes, splitImageNodes, textGuidedLogits, type TextGuidedLayout } from './text-guided-graph'

export interface WeightArray {
  shape: readonly number[]
  values: Float32Array
}

export type HeadWeights = ReadonlyMap<string, WeightArray>

export interface ColumnScaler {
  mean: ArrayLike<number>
  inverseStd: ArrayLike<number>
}

/** What turns the head's logits into probabilities: p = softmax((logits + logitAdjustment) / temperature). */
export interface Calibration {
  /** 1 = as trained. */
  temperature: number
  /** Added to the logits per class (a prior correction, e.g. log target prior − log train prior); null = none. */
  logitAdjustment: readonly number[] | null
}

export const NO_CALIBRATION: Calibration = { temperature: 1, logitAdjustment: null }

export interface HeadModel {
  method: RunMethod
  weights: HeadWeights
  /** Input widths: text and image feature dimensions. */
  dims: { text: number; image: number }
  classes: number
  /** null: the features reach the head as they are (already standardised, or trained raw). */
  standardize: { text: ColumnScaler; image: ColumnScaler } | null
  calibration: Calibration
  /** Text-guided fusion: the image input ends with region rows (text-guided-graph.ts). */
  textGuided?: TextGuidedLayout
}

/** Graph input and output names: the contract between this graph, the predictor and the export's metadata. */
export const HEAD_IO = {
  text: 'text_features',
  image: 'image_features',
  logits: 'logits',
  probabilities: 'probabilities',
  textLogits: 'text_logits',
  imageLogits: 'image_logits',
  selected: 'selected_token',
  textOnCommon: 'text_on_common_logits',
  imageOnCommon: 'image_on_common_logits',
} as const

interface Heads {
  logits: string
  /** ULGM's text and image heads as class logits (ulgm.ts `scalarLogits`). */
  unimodal?: { text: string; image: string }
  scdr?: { text: string; image: string; selected: string; textOnCommon: string; imageOnCommon: string }
}

type HeadWriter = (g: GraphBuilder, text: string, image: string, w: (name: string) => WeightArray, textWidth: number, has: (name: string) => boolean, tgf?: TextGuidedLayout) => Heads

const dense = (w: (name: string) => WeightArray, weight: string, biasName?: string): DenseWeights => ({ w: w(weight), ...(biasName ? { b: w(biasName) } : {}) })

/**
 * concat(text, image)·w + b written as text·w_text + image·w_image + b (w's rows split at the text
 * width): the same product without copying every post's features into one wide buffer first.
 */
function denseOfPair(g: GraphBuilder, [text, image]: [string, string], textRows: number, layer: DenseWeights, prefix: string): string {
  const [rows, cols] = layer.w.shape as [number, number]
  if (textRows >= rows) throw new Error(`${prefix}: the weight has ${rows} rows, fewer than the text width ${textRows} plus the image's`)
  const part = (name: string, x: string, from: number, to: number): string =>
    g.op('MatMul', [x, g.constant(`${prefix}_${name}_w`, [to - from, cols], layer.w.values.subarray(from * cols, to * cols))])
  const sum = g.op('Add', [part('text', text, 0, textRows), part('image', image, textRows, rows)])
  return layer.b ? g.op('Add', [sum, g.constant(`${prefix}_b`, [cols], layer.b.values)]) : sum
}

/** A ULGM head's scalar ŷ as log([max(0, −ŷ), 1 − |ŷ|, max(0, ŷ)] + 1e-6), ŷ clamped to [−1, 1] (ulgm.ts `scalarLogits`). */
function scalarLogits(g: GraphBuilder, pred: string, prefix: string): string {
  const y = g.op('Clip', [pred, g.constant(`${prefix}_lo`, [], [-1]), g.constant(`${prefix}_hi`, [], [1])])
  const parts = [g.op('Relu', [g.op('Neg', [y])]), g.op('Sub', [g.constant(`${prefix}_one`, [], [1]), g.op('Abs', [y])]), g.op('Relu', [y])]
  return g.op('Log', [g.op('Add', [g.op('Concat', parts, { axis: 1 }), g.constant(`${prefix}_eps`, [], [1e-6])])])
}

/** The baselines' fusion MLP: concat(text, image) → Linear → ReLU → Linear (methods/fusion.ts), and ULGM's heads when trained. */
const fusionHead: HeadWriter = (g, text, image, w, textWidth, has, tgf) => {
  if (tgf) return { logits: textGuidedLogits(g, text, image, w, tgf) }
  if (has('ut.w1')) return ulgmHead(g, text, image, w)
  const hidden = g.op('Relu', [denseOfPair(g, [text, image], textWidth, dense(w, 'w1', 'b1'), 'fusion_1')])
  return { logits: g.dense(hidden, dense(w, 'w2', 'b2'), 'fusion_2') }
}

/** Supervised with ULGM: per-modality encoders, the fused MLP on both, a scalar head on each encoder. */
function ulgmHead(g: GraphBuilder, text: string, image: string, w: (name: string) => WeightArray): Heads {
  const et = g.op('Relu', [g.dense(text, dense(w, 'ut.w1', 'ut.b1'), 'ut_1')])
  const ev = g.op('Relu', [g.dense(image, dense(w, 'uv.w1', 'uv.b1'), 'uv_1')])
  const logits = g.mlp(g.op('Concat', [et, ev], { axis: 1 }), dense(w, 'w1', 'b1'), dense(w, 'w2', 'b2'), 'fusion')
  const head = (name: string, e: string): string => scalarLogits(g, g.dense(e, dense(w, `${name}.w2`, `${name}.b2`), `${name}_2`), name)
  return { logits, unimodal: { text: head('ut', et), image: head('uv', ev) } }
}

/** SCDR's prediction (models/scdr.ts `encode`, `attend`, `head`; methods/scdr.ts `predict`), decoders left out. */
const scdrHead: HeadWriter = (g, text, image, w, _textWidth, _has, tgf) => {
  const split = tgf ? splitImageNodes(g, image, tgf) : null
  const xt = g.dense(text, dense(w, 'pt'), 'pt')
  const xv = g.dense(split ? split.pooled : image, dense(w, 'pv'), 'pv')
  const st = g.dense(xt, dense(w, 'et'), 'et')
  const sv = g.dense(xv, dense(w, 'ev'), 'ev')
  const common = g.op('Add', [g.dense(xt, dense(w, 'ec'), 'ec_t'), g.dense(xv, dense(w, 'ec'), 'ec_v')])
  // Text-guided fusion: c_m = c_t + c_v + the attention of x_t over the regions (models/scdr.ts `encode`).
  const cm = split ? g.op('Add', [common, attendRegionsNodes(g, xt, split.regions, w, tgf!.cells, tgf!.heads)]) : common
  const head = (name: string, z: string): string => g.mlp(z, dense(w, `${name}.w1`, `${name}.b1`), dense(w, `${name}.w2`, `${name}.b2`), name)
  // The selector picks a token per post (the first of equal maxima, as the trainer's argmax).
  const selectorLogits = head('sel', g.op('Concat', [st, sv, cm], { axis: 1 }))
  const selected = g.op('ArgMax', [selectorLogits], { axis: 1, keepdims: 0, select_last_index: 0 })
  // Tokens [N, 3, h]; the selected one through a one-hot mask; its query against every token's key.
  const axis1 = g.int64('axis1', [1])
  const tokens = g.op('Concat', [st, sv, cm].map((t) => g.op('Unsqueeze', [t, axis1])), { axis: 1 })
  const pick = g.op('Cast', [g.op('Equal', [g.op('Unsqueeze', [selected, axis1]), g.int64('token_index', [0, 1, 2])])], { to: 1 })
  const chosen = g.op('ReduceSum', [g.op('Mul', [tokens, g.op('Unsqueeze', [pick, g.int64('axis2', [2])])]), axis1], { keepdims: 0 })
  const q = g.dense(chosen, dense(w, 'att.wq', 'att.bq'), 'att_q')
  const k = g.dense(tokens, dense(w, 'att.wk', 'att.bk'), 'att_k')
  const v = g.dense(tokens, dense(w, 'att.wv', 'att.bv'), 'att_v')
  const sigma = w('att.sigma')
  const scores = g.op('Div', [g.op('ReduceSum', [g.op('Mul', [k, g.op('Unsqueeze', [q, axis1])]), g.int64('axis2', [2])], { keepdims: 0 }), g.constant('att_sigma', [], sigma.values)])
  const attention = g.op('Unsqueeze', [g.op('Softmax', [scores], { axis: 1 }), g.int64('axis2', [2])])
  const fused = g.op('ReduceSum', [g.op('Mul', [attention, v]), axis1], { keepdims: 0 })
  return {
    logits: head('cm', fused),
    scdr: { text: head('ct', st), image: head('cv', sv), selected, textOnCommon: head('ct', cm), imageOnCommon: head('cv', cm) },
  }
}

/** SPP-SCL's prediction (models/spp-scl.ts `sppSclForward` without dropout). */
const sppSclHead: HeadWriter = (g, text, image, w) => {
  const layer = (name: string, x: string, relu = false): string => {
    const y = g.dense(x, dense(w, `${name}.w`, `${name}.b`), name.replace('.', '_'))
    return relu ? g.op('Relu', [y]) : y
  }
  const tp = layer('ta', layer('tc2', layer('tc1', layer('tl', text, true), true)), true)
  const ip = layer('ia', layer('ic2', layer('ic1', layer('il', image, true), true)), true)
  const fused = g.op('Concat', [layer('vt', tp), layer('vi', ip), ip, tp], { axis: 1 })
  return { logits: layer('f2', layer('f1', fused, true)) }
}

/** Self-training's linear head (self-training.ts): concat(text, image) · w + b, the prior in b. */
const linearHead: HeadWriter = (g, text, image, w, textWidth) => ({ logits: denseOfPair(g, [text, image], textWidth, dense(w, 'w', 'b'), 'linear') })

const HEADS: Record<RunMethod, HeadWriter> = {
  'self-training': linearHead,
  supervised: fusionHead,
  fixmatch: fusionHead,
  flexmatch: fusionHead,
  scdr: scdrHead,
  'spp-scl': sppSclHead,
}

function standardised(g: GraphBuilder, x: string, scaler: ColumnScaler | undefined, dim: number, prefix: string): string {
  if (!scaler) return x
  if (scaler.mean.length !== dim || scaler.inverseStd.length !== dim) throw new Error(`${prefix} standardisation has ${scaler.mean.length} columns, the features ${dim}`)
  const centred = g.op('Sub', [x, g.constant(`${prefix}_mean`, [dim], Float32Array.from(scaler.mean))])
  return g.op('Mul', [centred, g.constant(`${prefix}_inverse_std`, [dim], Float32Array.from(scaler.inverseStd))])
}

/** (logits + adjustment) / temperature, softmax over classes. */
function calibrated(g: GraphBuilder, logits: string, calibration: Calibration, classes: number): string {
  const { temperature, logitAdjustment } = calibration
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`calibration: temperature must be a positive number, got ${temperature}`)
  if (logitAdjustment && (logitAdjustment.length !== classes || !logitAdjustment.every(Number.isFinite))) {
    throw new Error(`calibration: the logit adjustment needs ${classes} finite numbers, got ${JSON.stringify(logitAdjustment)}`)
  }
  const adjusted = logitAdjustment ? g.op('Add', [logits, g.constant('logit_adjustment', [classes], logitAdjustment)]) : logits
  const scaled = g.op('Div', [adjusted, g.constant('temperature', [], [temperature])])
  return g.op('Softmax', [scaled], { axis: 1 })
}

/** The run's model as serialised ONNX bytes (opset 13), inputs and outputs named by HEAD_IO. */
export function buildHeadGraph(model: HeadModel): Uint8Array {
  const writer = HEADS[model.method]
  if (!writer) throw new Error(`no ONNX graph is written for method "${model.method}"`)
  const weight = (name: string): WeightArray => {
    const found = model.weights.get(name)
    if (!found) throw new Error(`the ${model.method} model has no weight "${name}"`)
    return found
  }
  const g = new GraphBuilder()
  const text = standardised(g, g.input(HEAD_IO.text, model.dims.text), model.standardize?.text, model.dims.text, 'text')
  const image = standardised(g, g.input(HEAD_IO.image, model.dims.image), model.standardize?.image, model.dims.image, 'image')
  if (model.textGuided && !['supervised', 'fixmatch', 'flexmatch', 'scdr'].includes(model.method)) throw new Error(`no ONNX graph is written for text-guided fusion with method "${model.method}"`)
  const heads = writer(g, text, image, weight, model.dims.text, (name) => model.weights.has(name), model.textGuided)
  const C = model.classes
  g.output(HEAD_IO.logits, heads.logits, ['N', C])
  g.output(HEAD_IO.probabilities, calibrated(g, heads.logits, model.calibration, C), ['N', C])
  if (heads.unimodal) {
    g.output(HEAD_IO.textLogits, heads.unimodal.text, ['N', C])
    g.output(HEAD_IO.imageLogits, heads.unimodal.image, ['N', C])
  }
  if (heads.scdr) {
    g.output(HEAD_IO.textLogits, heads.scdr.text, ['N', C])
    g.output(HEAD_IO.imageLogits, heads.scdr.image, ['N', C])
    g.output(HEAD_IO.selected, heads.scdr.selected, ['N'], 'int64')
    g.output(HEAD_IO.textOnCommon, heads.scdr.textOnCommon, ['N', C])
    g.output(HEAD_IO.imageOnCommon, heads.scdr.imageOnCommon, ['N', C])
  }
  return buildModel(g.spec(`common-ground/${model.method}`))
}
