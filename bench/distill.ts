// The distillation claim of ALGORITHMS §3 on cached features (issue 14): an image student taught by
// the text teacher vs an image head trained on the human labels alone, scored image-only against
// the test posts' own image labels (MVSA has per-modality labels) and against their overall labels.
//
//   node bin/run-ts.mjs bench/distill.ts --db COPY [--project mvsa] [--text ID] [--image ID]
//     [--labels 600] [--seeds 1,2,3] [--draws per-class,proportional] [--scdr] [--json FILE]
//
// Arms, each a linear softmax head on the standardised image features (teacherFitOptions, selected
// on the val posts' overall labels, no prior shift anywhere so every arm is read alike):
//   human            the labeled posts alone;
//   teacher-only     the text teacher's §3.3-filtered labels on the unlabeled train posts alone (the paper's scheme);
//   human+teacher    both (per-class filter; also flat 0.70 and unfiltered);
// and with --scdr, SCDR's image head (Cv on s_v + c_m, as `predict` reads it) of a default run
// without and with `teacher.source=text`. The teacher is buildTeacher's: a linear head on the
// labeled posts' text features.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import type { EncoderPairInfo } from '#shared/features'
import type { TeacherFilter } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { classificationReport } from '#main/ml/metrics'
import { openDatabase } from '#main/db/store'
import { makeConfig } from '#main/training/config'
import type { Matrix, TrainingData } from '#main/training/data'
import type { SubsetMode } from '#main/training/labeled-subset'
import { argmaxRows, fitLinearHead, linearLogits, type Rows } from '#main/training/linear-head'
import { loadTrainingData } from '#main/training/load-data'
import { Rng } from '#main/training/rng'
import { buildTeacher, teacherFitOptions } from '#main/training/teacher/teacher'
import { buildMethod, train } from '#main/training/trainer'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    project: { type: 'string', default: 'mvsa' },
    text: { type: 'string', default: 'default-text/use-lite+vader@2' },
    image: { type: 'string', default: 'default-image/mobilenetv2+colour@1' },
    labels: { type: 'string', default: '600' },
    seeds: { type: 'string', default: '1,2,3' },
    draws: { type: 'string', default: 'per-class,proportional' },
    scdr: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
})
if (!values.db) throw new Error('--db FILE is required (a copy of a store with cached features)')

const C = 3
const db = openDatabase(values.db, { readonly: true })
const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(values.project!)
if (!project) throw new Error(`--project ${values.project}: no such project in ${values.db}`)
const dimOf = (encoder: string): number => {
  const dim = db.prepare<[string], number>(`SELECT dim FROM features WHERE encoder = ? AND view = 'clean' LIMIT 1`).pluck().get(encoder)
  if (!dim) throw new Error(`no clean features of ${encoder} in ${values.db}`)
  return dim
}
const pair: EncoderPairInfo = {
  id: 'bench',
  text: { id: values.text!, modality: 'text', dim: dimOf(values.text!), description: '' },
  image: { id: values.image!, modality: 'image', dim: dimOf(values.image!), description: '' },
}
const imageLabel = new Map(
  db
    .prepare<[number], { id: number; label: string }>('SELECT id, label_image AS label FROM posts WHERE project_id = ? AND label_image IS NOT NULL')
    .all(project.id)
    .map((r) => [r.id, CONFUSION_ORDER.indexOf(r.label as (typeof CONFUSION_ORDER)[number])]),
)

interface Scores {
  image: { accuracy: number; macroF1: number; n: number }
  overall: { accuracy: number; macroF1: number }
  trained: number
}

const rowsOf = (m: Matrix): Rows => ({ rows: m.rows, dim: m.dim, data: m.data })
function pickRows(m: Matrix, rows: number[]): Rows {
  const data = new Float32Array(rows.length * m.dim)
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.dim, (r + 1) * m.dim), i * m.dim))
  return { rows: rows.length, dim: m.dim, data }
}
function join(a: Rows, b: Rows): Rows {
  const data = new Float32Array(a.data.length + b.data.length)
  data.set(a.data)
  data.set(b.data, a.data.length)
  return { rows: a.rows + b.rows, dim: a.dim, data }
}

/** Image-only predictions of the test posts scored against their image labels and their overall labels. */
function score(data: TrainingData, predicted: Int32Array, trained: number): Scores {
  const test = data.test!
  const withImage = test.ids.flatMap((id, i) => (imageLabel.has(id) ? [i] : []))
  const image = classificationReport(withImage.map((i) => imageLabel.get(test.ids[i]!)!), withImage.map((i) => predicted[i]!), CONFUSION_ORDER)
  const overall = classificationReport(test.y, predicted, CONFUSION_ORDER)
  return { image: { accuracy: image.accuracy, macroF1: image.macroF1, n: image.n }, overall: { accuracy: overall.accuracy, macroF1: overall.macroF1 }, trained }
}

function imageHead(data: TrainingData, x: Rows, y: ArrayLike<number>, seed: number): Scores {
  const val = { x: rowsOf(data.val!.img), y: data.val!.y, shift: [0, 0, 0] }
  const { model } = fitLinearHead(x, y, C, teacherFitOptions(x.rows), new Rng(seed, 8), val)
  return score(data, argmaxRows(linearLogits(model, rowsOf(data.test!.img)), C), x.rows)
}

/** SCDR's image head (Cv reading [s_v; c_m]'s first half, as predict() returns it) of a default run. */
async function scdrImageHead(data: TrainingData, seed: number, teacher: boolean): Promise<Scores> {
  const config = makeConfig('default', { method: 'scdr', seed, prior: { mode: 'off' }, ...(teacher ? { teacher: { source: 'text' } } : {}) })
  const result = await train({ config, data })
  const weights = new Map(Object.entries(tf.io.decodeWeights(result.artifacts.weightData as ArrayBuffer, result.artifacts.weightSpecs!)))
  const { method } = buildMethod(config, data)
  const test = data.test!
  const image = tf.tidy(() => method.predict(weights, tf.tensor2d(test.txt.data, [test.txt.rows, test.txt.dim]), tf.tensor2d(test.img.data, [test.img.rows, test.img.dim])).image!)
  tf.dispose([...weights.values()])
  const out = score(data, argmaxRows(image, C), data.labeled.ids.length)
  return { ...out, ...(result.teacher ? { teacher: result.teacher } : {}) }
}

const rows: { draw: SubsetMode; seed: number; arm: string; scores: Scores; teacher?: unknown }[] = []
const f = (x: number): string => (100 * x).toFixed(1)
for (const draw of values.draws!.split(',') as SubsetMode[]) {
  for (const seed of values.seeds!.split(',').map(Number)) {
    const loaded = loadTrainingData(db, { projectId: project.id, encoder: pair, labels: { mode: 'draw', n: Number(values.labels), draw, seed } })
    if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
    const data = loaded.data
    const xl = rowsOf(data.labeled.img.clean)
    const record = (arm: string, scores: Scores, teacher?: unknown): void => {
      rows.push({ draw, seed, arm, scores, ...(teacher ? { teacher } : {}) })
      console.log(`${draw.padEnd(12)} seed ${seed}  ${arm.padEnd(28)} image labels ${f(scores.image.accuracy)} / mF1 ${f(scores.image.macroF1)} (n ${scores.image.n})  overall ${f(scores.overall.accuracy)} / ${f(scores.overall.macroF1)}  trained on ${scores.trained}`)
      if (values.json) writeFileSync(values.json, JSON.stringify({ pair, rows }, null, 1))
    }
    record('human', imageHead(data, xl, data.labeled.y, seed))
    const labeled = new Set(data.labeled.ids)
    for (const filter of ['per-class', 'flat', 'off'] as TeacherFilter[]) {
      const settings = { ...makeConfig('default').teacher, source: 'text' as const, filter }
      const teacher = buildTeacher(settings, data, { seed, classes: C, pool: [0, 0, 0], align: [0, 0, 0] })!
      // Taught posts: kept by the filter, outside the labeled subset (the pool holds the labeled posts too).
      const taught = data.unlabeled.ids.flatMap((id, r) => (teacher.keep[r] && !labeled.has(id) ? [r] : []))
      const ty = taught.map((r) => argmaxRows(teacher.targets.subarray(r * C, (r + 1) * C), C)[0]!)
      const xt = pickRows(data.unlabeled.img.clean, taught)
      const stats = { kept: teacher.used.kept, accuracy: teacher.used.accuracy, valAccuracy: teacher.used.valAccuracy }
      if (filter === 'per-class') record('teacher-only', imageHead(data, xt, ty, seed), stats)
      record(`human+teacher (${filter})`, imageHead(data, join(xl, xt), [...Array.from(data.labeled.y), ...ty], seed), stats)
    }
    if (values.scdr) {
      record('scdr image head', await scdrImageHead(data, seed, false))
      record('scdr+teacher image head', await scdrImageHead(data, seed, true))
    }
  }
}

// Mean ± sd per draw and arm.
const groups = new Map<string, Scores[]>()
for (const r of rows) groups.set(`${r.draw}|${r.arm}`, [...(groups.get(`${r.draw}|${r.arm}`) ?? []), r.scores])
const ms = (xs: number[]): string => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1))
  return `${f(m)} ± ${f(sd)}`
}
console.log('\n| draw | student (image features only) | image-label acc | image-label macro F1 | overall acc | overall macro F1 |\n|---|---|---|---|---|---|')
for (const [key, list] of groups) {
  const [draw, arm] = key.split('|')
  console.log(`| ${draw} | ${arm} | ${ms(list.map((s) => s.image.accuracy))} | ${ms(list.map((s) => s.image.macroF1))} | ${ms(list.map((s) => s.overall.accuracy))} | ${ms(list.map((s) => s.overall.macroF1))} |`)
}
