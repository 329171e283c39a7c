// Cross-modal distillation teachers (ALGORITHMS §3): the §3.3 filter against hand-worked cases (ties
// at exactly 0.70 / 0.90 rejected), the soft-target loss with a temperature, the teacher's stats, and
// a taught run end to end: its curves, what it records, and an identical result after a resume.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { makeConfig, validateConfig, type ConfigOverrides } from '#main/training/config'
import { configFromRequest } from '#main/training/run-config'
import { syntheticProblem } from '#main/training/synthetic'
import { filterTeacherLabels, softmaxRows } from '#main/training/teacher/filter'
import { teacherLoss } from '#main/training/teacher/loss'
import { keptStats } from '#main/training/teacher/stats'
import { buildTeacher } from '#main/training/teacher/teacher'
import { teacherOf } from '#main/cli/train-command'
import { train, type TrainResult } from '#main/training/trainer'
import type { RunMethod } from '#shared/runs'
import { expectResumesIdentically } from './support/resume'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const PER_CLASS = { filter: 'per-class' as const, perClass: [0.7, 0.9, 0.9], flat: 0.7 }

describe('§3.3 confidence filter', () => {
  // Rows of (negative, neutral, positive) probabilities; each row's fate worked out by hand.
  const probs = Float64Array.from([
    [0.71, 0.19, 0.1], // negative above 0.70: kept
    [0.7, 0.2, 0.1], // negative exactly 0.70: strict >, rejected
    [0.1, 0.9, 0.0], // neutral exactly 0.90: rejected
    [0.05, 0.91, 0.04], // neutral above 0.90: kept
    [0.15, 0.0, 0.85], // positive 0.85: below 0.90, rejected (kept by the flat 0.70)
    [0.0, 0.05, 0.95], // positive 0.95: kept
    [0.45, 0.45, 0.1], // a tie: negative wins (lower class), 0.45 rejected everywhere but 'off'
  ].flat())

  it('per class: negative above 0.70, neutral and positive above 0.90, ties at the threshold rejected', () => {
    const f = filterTeacherLabels(probs, 3, PER_CLASS)
    expect(Array.from(f.label)).toEqual([0, 0, 1, 1, 2, 2, 0])
    expect(Array.from(f.keep)).toEqual([1, 0, 0, 1, 0, 1, 0])
  })

  it('flat keeps anything above 0.70 (0.70 itself rejected); off keeps every argmax', () => {
    expect(Array.from(filterTeacherLabels(probs, 3, { ...PER_CLASS, filter: 'flat' }).keep)).toEqual([1, 0, 1, 1, 1, 1, 0])
    expect(Array.from(filterTeacherLabels(probs, 3, { ...PER_CLASS, filter: 'off' }).keep)).toEqual([1, 1, 1, 1, 1, 1, 1])
  })

  it('a float32 probability of 0.9 is not above the threshold either', () => {
    const f = filterTeacherLabels(Float32Array.from([0.05, 0.9, 0.05]), 3, PER_CLASS)
    expect(Array.from(f.keep)).toEqual([0])
  })
})

describe('soft-target loss with a temperature', () => {
  it('softmax(z / T) by hand', () => {
    // z = (0, ln 2, ln 4), T = 2: exp(z/2) = (1, √2, 2), sum 3 + √2.
    const q = softmaxRows([0, Math.log(2), Math.log(4)], 3, 2)
    const s = 3 + Math.SQRT2
    expect(Array.from(q)).toEqual([1 / s, Math.SQRT2 / s, 2 / s].map((x) => expect.closeTo(x, 12)))
  })

  it('T² · Σ keep · CE(softmax(z / T), q) / B', () => {
    // Student logits (0, 0, ln 4)/T=2 → softmax (1, 1, 2)/4; q = (0.5, 0.25, 0.25).
    // CE = −(0.5 ln 0.25 + 0.25 ln 0.25 + 0.25 ln 0.5) = 0.75 ln 4 + 0.25 ln 2 = 1.75 ln 2.
    // Second row masked out; B = 2 → loss = 4 · 1.75 ln 2 / 2 = 3.5 ln 2.
    const loss = tf.tidy(() => teacherLoss(tf.tensor2d([[0, 0, Math.log(4)], [9, 0, 0]]), tf.tensor2d([[0.5, 0.25, 0.25], [0, 0, 1]]), tf.tensor1d([1, 0]), 2).dataSync()[0]!)
    expect(loss).toBeCloseTo(3.5 * Math.LN2, 5)
  })

  it('hard targets at T = 1 are the masked cross-entropy over the whole batch', () => {
    // Row 1: CE of (ln 3, 0, 0) vs class 0 = ln 5 − ln 3; row 2 kept too: CE of (0,0,0) vs 2 = ln 3.
    const loss = tf.tidy(() => teacherLoss(tf.tensor2d([[Math.log(3), 0, 0], [0, 0, 0]]), tf.tensor2d([[1, 0, 0], [0, 0, 1]]), tf.tensor1d([1, 1]), 1).dataSync()[0]!)
    expect(loss).toBeCloseTo((Math.log(5) - Math.log(3) + Math.log(3)) / 2, 5)
  })
})

describe("a teacher's stats", () => {
  it('kept labels per class, and their accuracy on the rows with a known label only', () => {
    const s = keptStats([0, 1, 2, 2, 0, 1], [1, 1, 1, 0, 1, 1], [0, 2, -1, 2, 1, -1], 3)
    // Kept rows 0,1,2,4,5: classes 0,1,2,0,1; known among them rows 0 (right), 1 (wrong), 4 (wrong).
    expect(s).toEqual({ kept: [2, 2, 1], known: 3, correct: 1, accuracy: 1 / 3 })
    expect(keptStats([0], [0], [0], 3).accuracy).toBeNull()
  })
})

describe('config', () => {
  it('teacher options by dotted name, checked and named at fault', () => {
    const { config } = configFromRequest({ method: 'scdr', preset: 'quick', overrides: { 'teacher.source': 'text', 'teacher.targets': 'soft', 'teacher.temperature': 2 } })
    expect(config?.teacher).toMatchObject({ source: 'text', targets: 'soft', temperature: 2, negative: 0.7, neutral: 0.9, positive: 0.9, filter: 'per-class' })
    const problems = (o: ConfigOverrides) => validateConfig(makeConfig('default', o)).map((p) => p.field)
    expect(problems({ method: 'scdr', teacher: { source: 'run' } })).toEqual(['teacher.run'])
    expect(problems({ method: 'self-training', teacher: { source: 'text' } })).toEqual(['teacher.source'])
    expect(problems({ method: 'fixmatch', teacher: { source: 'text', negative: 1 } })).toEqual(['teacher.negative'])
  })
})

const data = syntheticProblem({ seed: 3, train: 240, labeled: 24, val: 60, test: 60, dimTxt: 12, dimImg: 10, noise: 0.6, disagreement: 0.2, variants: 2 })
const tiny = (method: RunMethod, teacher: ConfigOverrides['teacher'] = { source: 'text' }) =>
  makeConfig('default', { method, steps: 24, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 8, checkpointEvery: 8, stepsPerEpoch: 4, scdr: { plfEpochs: 2 }, teacher })
const series = (r: TrainResult, name: string) => r.curves.filter((c) => c.series === name)

describe('a taught run', () => {
  it.each(['scdr', 'fixmatch'] as const)('%s: the teacher loss and mask rate are curves, its labels counted and graded', async (method) => {
    // 24 labels make a timid teacher (its weight decay is 300 / 24): a flat 0.4 lets it label some posts, not all.
    const r = await train({ config: tiny(method, { source: 'text', filter: 'flat', flat: 0.4 }), data })
    expect(series(r, 'lteacher')).toHaveLength(24)
    expect(series(r, 'teacherMask').every((p) => p.value >= 0 && p.value <= 1)).toBe(true)
    const t = r.teacher!
    expect(t.source).toBe('text')
    expect(t.posts).toBe(240)
    const kept = t.kept.reduce((a, b) => a + b, 0)
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(240)
    // Known labels: the 216 pool posts outside the labeled 24, of which the kept ones are graded.
    expect(t.known).toBeLessThanOrEqual(216)
    expect(t.accuracy).toBeCloseTo(t.correct / t.known, 12)
    expect(t.valAccuracy).not.toBeNull()
    // Its label per post it read, for the review: one per unlabeled post, the kept ones as counted.
    expect(r.teacherLabels).toHaveLength(240)
    expect(r.teacherLabels!.map((l) => l.postId)).toEqual(data.unlabeled.ids)
    expect(r.teacherLabels!.filter((l) => l.kept).length).toBe(kept)
    expect(r.teacherLabels!.every((l) => l.confidence > 0.4 === l.kept)).toBe(true)
    const plain = await train({ config: tiny(method, { source: 'off' }), data })
    expect(plain.teacher).toBeNull()
    expect(plain.teacherLabels).toEqual([])
    expect(series(plain, 'lteacher')).toHaveLength(0)
    expect(Buffer.from(plain.artifacts.weightData as ArrayBuffer).equals(Buffer.from(r.artifacts.weightData as ArrayBuffer))).toBe(false)
  })

  it('a stricter filter labels fewer posts; off labels them all', async () => {
    const kept = async (filter: 'per-class' | 'flat' | 'off') => (await train({ config: { ...tiny('fixmatch', { source: 'image', filter }), steps: 1 }, data })).teacher!.kept.reduce((a, b) => a + b, 0)
    const [perClass, flat, off] = [await kept('per-class'), await kept('flat'), await kept('off')]
    expect(off).toBe(240)
    expect(perClass).toBeLessThanOrEqual(flat)
    expect(flat).toBeLessThan(off)
  })

  it('killed after a checkpoint, resumed from its bytes, ends as the uninterrupted run', async () => {
    const config = tiny('scdr', { source: 'text', filter: 'off', targets: 'soft', temperature: 2 })
    await expectResumesIdentically(config, data, await train({ config, data }))
  })
})

describe('a finished run as the teacher', () => {
  it("teaches the posts it proposed a label for; its own labeled posts stay untaught; `--teacher run:ID` sets both fields", () => {
    // Posts 0–23 are the labeled subset: a previous run proposed nothing for them.
    const logits = new Map(data.unlabeled.ids.filter((id) => id >= 24).map((id) => [id, id % 2 === 0 ? [Math.log(0.95), Math.log(0.025), Math.log(0.025)] : [0, 0, 0]]))
    const settings = { ...makeConfig('default').teacher, source: 'run' as const, run: 7 }
    const t = buildTeacher(settings, data, { seed: 1, classes: 3, pool: [0, 0, 0], align: [0, 0, 0], run: { logits, detail: 'run #7', student: 'image' } })!
    // Even ids ≥ 24 are 0.95 negative (above 0.70): kept; odd ones are uniform: rejected; 0–23 untaught.
    expect(t.used.kept).toEqual([108, 0, 0])
    expect(Array.from(t.keep.subarray(0, 24)).every((k) => k === 0)).toBe(true)
    expect(t.used.detail).toMatch(/24 posts it has no label for/)
    expect(teacherOf('run:7')).toEqual({ 'teacher.source': 'run', 'teacher.run': 7 })
    expect(teacherOf('text')).toEqual({ 'teacher.source': 'text' })
    expect(() => teacherOf('audio')).toThrow('--teacher audio: expected text, image, run:<run id>, onnx:<model folder> or off')
  })
})
