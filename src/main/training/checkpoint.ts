// A training run's full state at a step boundary, and its bytes. Resuming from it repeats the
// uninterrupted run exactly: weights, optimiser slots, EMA shadow, the generator's state (so the
// same batches follow), FlexMatch's memory, the best evaluation so far and the curves.
import { isCurveSeries, type ClassificationReport, type CurvePoint } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import type { NamedArrays } from './params'
import type { RngState } from './rng'

export interface Evaluation {
  step: number
  val?: ClassificationReport
  test?: ClassificationReport
}

export interface TrainerCheckpoint {
  /** 2: curves as points (step, series, value) and named classes in reports; a version 1 file is read and upgraded. */
  version: 2
  /** Method, config and data shape; a checkpoint of another run is refused. */
  fingerprint: string
  /** Steps done. */
  step: number
  rng: RngState
  params: NamedArrays
  optimizer: { t: number; slots: NamedArrays }
  ema: NamedArrays
  flex: { selected: Int32Array; beta: Float64Array } | null
  /** The method's own memory between steps (ULGM's label bank), when it keeps any. */
  method?: NamedArrays
  /** The evaluation model selection keeps so far, with its EMA weights. */
  best: { evaluation: Evaluation; weights: NamedArrays } | null
  /** The latest evaluation. */
  last: Evaluation
  curves: CurvePoint[]
  elapsedMs: number
}

type Typed = Float32Array | Int32Array | Float64Array
const KINDS = { f32: Float32Array, i32: Int32Array, f64: Float64Array } as const
type Kind = keyof typeof KINDS

const kindOf = (x: unknown): Kind | null =>
  x instanceof Float32Array ? 'f32' : x instanceof Int32Array ? 'i32' : x instanceof Float64Array ? 'f64' : null

/**
 * JSON with every typed array moved to a binary tail: [u32 header length][header][arrays], each
 * array 8-byte aligned and named in the header as { $array: 'f32' | 'i32' | 'f64', offset, length }.
 * The bench's PyTorch reference reads its fixture in the same format.
 */
export function packArrays(value: unknown): Uint8Array {
  const blobs: Typed[] = []
  let offset = 0
  const header = JSON.stringify(value, (_key, item: unknown) => {
    const kind = kindOf(item)
    if (!kind) return item
    const typed = item as Typed
    // 8-byte alignment keeps every array readable in place.
    const ref = { $array: kind, offset, length: typed.length }
    blobs.push(typed)
    offset += Math.ceil(typed.byteLength / 8) * 8
    return ref
  })
  const head = new TextEncoder().encode(header)
  const start = Math.ceil((4 + head.length) / 8) * 8
  const out = new Uint8Array(start + offset)
  new DataView(out.buffer).setUint32(0, head.length, true)
  out.set(head, 4)
  let at = start
  for (const b of blobs) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at)
    at += Math.ceil(b.byteLength / 8) * 8
  }
  return out
}

export function unpackArrays(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = view.getUint32(0, true)
  const start = Math.ceil((4 + length) / 8) * 8
  // A copy aligned for every typed array, whatever the caller's buffer offset. Uint8Array's own
  // slice: a Node Buffer's slice is a view into a shared pool, not a copy.
  const tail = Uint8Array.prototype.slice.call(bytes, start)
  return JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)), (_key, value: unknown) => {
    const ref = value as { $array?: Kind; offset: number; length: number } | null
    if (!ref || typeof ref !== 'object' || !ref.$array) return value
    return new KINDS[ref.$array](tail.buffer, ref.offset, ref.length)
  })
}

export const encodeCheckpoint = (state: TrainerCheckpoint): Uint8Array => packArrays(state)

export const decodeCheckpoint = (bytes: Uint8Array): TrainerCheckpoint => upgrade(unpackArrays(bytes) as TrainerCheckpoint | CheckpointV1)

/** Version 1: one record per step (its statistics by name, lr, accuracy at evaluations), class scores without names. */
interface CheckpointV1 extends Omit<TrainerCheckpoint, 'version' | 'curves'> {
  version: 1
  curves: { step: number; lr: number; stats: Record<string, number>; valAccuracy?: number; testAccuracy?: number }[]
}

function upgrade(state: TrainerCheckpoint | CheckpointV1): TrainerCheckpoint {
  if (state.version === 2) return state
  const curves = state.curves.flatMap(({ step, lr, stats, valAccuracy, testAccuracy }) =>
    Object.entries({ ...stats, lr, 'val.accuracy': valAccuracy, 'test.accuracy': testAccuracy }).flatMap(([series, value]) =>
      isCurveSeries(series) && typeof value === 'number' && Number.isFinite(value) ? [{ step, series, value }] : [],
    ),
  )
  const named = (e: Evaluation): Evaluation => {
    const report = (r: ClassificationReport | undefined) => r && { ...r, perClass: r.perClass.map((c, i) => ({ ...c, label: CONFUSION_ORDER[i]! })) }
    return { step: e.step, ...(e.val ? { val: report(e.val) } : {}), ...(e.test ? { test: report(e.test) } : {}) }
  }
  return { ...state, version: 2, curves, last: named(state.last), best: state.best && { ...state.best, evaluation: named(state.best.evaluation) } }
}
