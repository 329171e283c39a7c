// A frozen teacher for a run (ALGORITHMS §3): its probabilities on every unlabeled post, filtered
// (§3.3) into the targets the student branch learns from, and what it did for the run's details.
// Sources: a linear head on the labeled posts' text features (the default) or image features (the
// image→text direction), or logits handed in by the caller: a finished run's predictions, or an
// ONNX text sentiment model's on the posts' texts.
import * as tf from '@tensorflow/tfjs'
import type { TeacherSettings, TeacherUsed } from '#shared/run-teacher'
import type { Matrix, TrainingData } from '../data'
import { argmaxRows, fitLinearHead, linearLogits, type LinearFitOptions, type Rows } from '../linear-head'
import { Rng } from '../rng'
import { poolLogits } from '../run-prior'
import { filterTeacherLabels, softmaxRows } from './filter'
import { keptStats } from './stats'

export type StudentBranch = 'image' | 'text'

/**
 * A teacher's logits computed outside the trainer: a finished run's proposals (read from the store)
 * or an ONNX text model's outputs on the posts' texts (onnx-teacher.ts). Val posts' logits, when
 * present for every val post, give the teacher's val accuracy.
 */
export interface RunTeacherLogits {
  /** Post id → logits (classes values). */
  logits: Map<number, ArrayLike<number>>
  /** Which run and which head, in words. */
  detail: string
  /** The branch its labels teach: the other modality of its head, 'image' for fused predictions. */
  student: StudentBranch
  /** The ONNX model that computed them (source 'onnx'), recorded on the run. */
  model?: TeacherUsed['model']
}

/** The teacher's targets per unlabeled row (data.unlabeled order), ready for a method's step. */
export interface TeacherTargets {
  student: StudentBranch
  /** rows × classes: one-hot (hard) or softmax(z / T) (soft). */
  targets: Float32Array
  keep: Float32Array
  /** The teacher's argmax class and its probability per row (what the review shows beside the run's proposal). */
  label: Int32Array
  score: Float64Array
  /** 0 where the teacher had nothing for the row (a finished run's own labeled posts). */
  read: Uint8Array
  temperature: number
  weight: number
  used: TeacherUsed
}

const TEACHER_FIT = { steps: 1000, batch: 128, lr: 0.01, momentum: 0.9, clipNorm: 5, emaDecay: 0.99, evalEvery: 25, decayRows: 300 }

/** The teacher's fit (self-training's linear head settings): 1,000 steps of 128, L2 decay 300 / rows. */
export const teacherFitOptions = (rows: number): LinearFitOptions => ({ ...TEACHER_FIT, weightDecay: TEACHER_FIT.decayRows / Math.max(1, rows) })

const rowsOf = (m: Matrix): Rows => ({ rows: m.rows, dim: m.dim, data: m.data })

function accuracyOf(label: ArrayLike<number>, y: ArrayLike<number>, keep?: ArrayLike<number>): number | null {
  let n = 0
  let right = 0
  for (let i = 0; i < y.length; i++) {
    if (keep && !keep[i]) continue
    n++
    if (label[i] === y[i]) right++
  }
  return n === 0 ? null : right / n
}

/**
 * A linear head on one modality of the labeled posts (plain Float64 math, seeded, val-selected with
 * the prior's shift), read on every unlabeled post with `align` (log π_u − log π_L) added, as the
 * run's own pseudo-labels are. Returns unlabeled logits and val logits.
 */
export function modalityTeacherLogits(data: TrainingData, modality: 'txt' | 'img', seed: number, shifts: { pool: ArrayLike<number>; align: ArrayLike<number> }, classes: number): { unlabeled: Float32Array; val: Float32Array | null } {
  const x = rowsOf(data.labeled[modality].clean)
  const val = data.val ? { x: rowsOf(data.val[modality]), y: data.val.y, shift: shifts.pool } : undefined
  const { model } = fitLinearHead(x, data.labeled.y, classes, teacherFitOptions(x.rows), new Rng(seed, 6), val)
  const pool = data.unlabeled[modality].clean
  return { unlabeled: poolLogits(model, pool, null, Int32Array.from({ length: pool.rows }, (_, i) => i), shifts.align), val: val ? linearLogits(model, val.x, shifts.pool) : null }
}

/** Known labels of the unlabeled rows (−1 where unknown or in the labeled subset). */
export function knownLabels(data: TrainingData): Int32Array {
  return data.unlabeledKnown ?? new Int32Array(data.unlabeled.ids.length).fill(-1)
}

/** The teacher of a run, or null when its source is 'off'. `run` (the external logits) is required for sources 'run' and 'onnx'. */
export function buildTeacher(settings: TeacherSettings, data: TrainingData, context: { seed: number; classes: number; pool: ArrayLike<number>; align: ArrayLike<number>; run?: RunTeacherLogits }): TeacherTargets | null {
  if (settings.source === 'off') return null
  const C = context.classes
  let logits: Float32Array
  let valLogits: Float32Array | null = null
  let student: StudentBranch
  let detail: string
  let unseen: Set<number> | null = null
  if (settings.source === 'run' || settings.source === 'onnx') {
    const what = settings.source === 'run' ? `teacher.run ${settings.run}` : `teacher.folder ${settings.folder}`
    const external = context.run
    if (!external) throw new Error(`${what}: no teacher predictions were handed to the trainer`)
    // Posts the teacher has nothing for (a run's own labeled posts) stay untaught: uniform, below any filter.
    logits = new Float32Array(data.unlabeled.ids.length * C)
    unseen = new Set<number>()
    data.unlabeled.ids.forEach((id, i) => {
      const z = external.logits.get(id)
      if (z) logits.set(Array.from(z), i * C)
      else unseen!.add(i)
    })
    if (unseen.size === data.unlabeled.ids.length) throw new Error(`${what}: the teacher labeled none of this run's unlabeled posts`)
    if (data.val && data.val.ids.every((id) => external.logits.has(id))) {
      valLogits = new Float32Array(data.val.ids.length * C)
      data.val.ids.forEach((id, i) => valLogits!.set(Array.from(external.logits.get(id)!), i * C))
    }
    student = external.student
    detail = unseen.size > 0 ? `${external.detail} (${unseen.size} posts it has no label for are not taught)` : external.detail
  } else {
    const source = settings.source === 'text' ? 'txt' : 'img'
    const out = modalityTeacherLogits(data, source, context.seed, context, C)
    logits = out.unlabeled
    valLogits = out.val
    student = settings.source === 'text' ? 'image' : 'text'
    detail = `a linear head on the ${data.labeled.ids.length} labeled posts' ${settings.source} features labels the unlabeled posts; its labels teach the ${student} branch`
  }
  const probs = softmaxRows(logits, C)
  const filter = { filter: settings.filter, perClass: [settings.negative, settings.neutral, settings.positive], flat: settings.flat }
  const { label, score, keep } = filterTeacherLabels(probs, C, filter)
  const read = new Uint8Array(label.length).fill(1)
  for (const i of unseen ?? []) {
    keep[i] = 0
    read[i] = 0
  }
  const soft = settings.targets === 'soft'
  const targets = soft ? Float32Array.from(softmaxRows(logits, C, settings.temperature)) : new Float32Array(label.length * C)
  if (!soft) label.forEach((c, i) => (targets[i * C + c] = 1))
  const stats = keptStats(label, keep, knownLabels(data), C)
  let valAccuracy: number | null = null
  let valKeptAccuracy: number | null = null
  if (valLogits && data.val) {
    const v = filterTeacherLabels(softmaxRows(valLogits, C), C, filter)
    valAccuracy = accuracyOf(argmaxRows(valLogits, C), data.val.y)
    valKeptAccuracy = accuracyOf(v.label, data.val.y, v.keep)
  }
  const used: TeacherUsed = { source: settings.source, detail, filter: settings.filter, targets: settings.targets, posts: label.length, ...stats, valAccuracy, valKeptAccuracy, ...(context.run?.model ? { model: context.run.model } : {}) }
  return { student, targets, keep, label, score, read, temperature: soft ? settings.temperature : 1, weight: settings.weight, used }
}

/** The targets and keep mask of a batch's unlabeled rows, as tensors. */
export function teacherBatch(t: TeacherTargets, rows: Int32Array, classes: number): { targets: tf.Tensor2D; keep: tf.Tensor1D; rate: number } {
  const targets = new Float32Array(rows.length * classes)
  const keep = new Float32Array(rows.length)
  let kept = 0
  rows.forEach((r, i) => {
    targets.set(t.targets.subarray(r * classes, (r + 1) * classes), i * classes)
    keep[i] = t.keep[r]!
    kept += keep[i]!
  })
  return { targets: tf.tensor2d(targets, [rows.length, classes]), keep: tf.tensor1d(keep), rate: rows.length === 0 ? 0 : kept / rows.length }
}

/** What the teacher said about each unlabeled post it read (data.unlabeled order): kept for the review's reasons. */
export interface TeacherLabel {
  postId: number
  /** Class index (CONFUSION_ORDER). */
  label: number
  confidence: number
  kept: boolean
}

export function teacherLabelsOf(t: TeacherTargets, ids: readonly number[]): TeacherLabel[] {
  const out: TeacherLabel[] = []
  ids.forEach((postId, i) => {
    if (t.read[i]) out.push({ postId, label: t.label[i]!, confidence: t.score[i]!, kept: t.keep[i] === 1 })
  })
  return out
}
