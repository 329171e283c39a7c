// Confident learning on a store's train labels (issue 15, part 2): flip a share of the labels at
// random (seeded, in memory: the store is opened read-only), find the likely label errors from
// out-of-fold probabilities, and count how many flipped posts the top-N of the list holds (N = the
// number of flips). Then the same on the real labels: the top of the list, with texts.
//
//   node bin/run-ts.mjs bench/label-errors.ts --db COPY.db [--project mvsa] [--encoder default-v2|default-v1] [--flip 0.1] [--seed 1] [--c 0.0003] [--show 10]
import { parseArgs } from 'node:util'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { openDatabase } from '#main/db/store'
import { seededRandom } from '#main/core/random'
import { loadTrainingData } from '#main/training/load-data'
import { findLabelIssues, LABEL_CHECK_DEFAULTS, outOfFoldProbabilities } from '#main/review/label-errors'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    project: { type: 'string', default: 'mvsa' },
    encoder: { type: 'string', default: 'default' },
    flip: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '1' },
    c: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.c) },
    folds: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.folds) },
    iterations: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.maxIterations) },
    show: { type: 'string', default: '10' },
  },
})
if (!values.db) throw new Error('--db FILE is required (a copy of a store with cached features)')
const db = openDatabase(values.db, { readonly: true })
const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(values.project!)
if (!project) throw new Error(`--project ${values.project}: no such project`)
const trainCount = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM posts WHERE project_id = ? AND split = 'train' AND label_overall IS NOT NULL AND conflict = 0").get(project.id)!.n
const loaded = loadTrainingData(db, { projectId: project.id, encoder: values.encoder!, labels: { mode: 'draw', n: trainCount, draw: 'proportional', seed: 1 } })
if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
const { txt, img, ids, y } = { txt: loaded.data.labeled.txt.clean, img: loaded.data.labeled.img.clean, ids: loaded.data.labeled.ids, y: loaded.data.labeled.y }
const rows = ids.length
const dim = txt.dim + img.dim
const x = new Float32Array(rows * dim)
for (let i = 0; i < rows; i++) {
  x.set(txt.data.subarray(i * txt.dim, (i + 1) * txt.dim), i * dim)
  x.set(img.data.subarray(i * img.dim, (i + 1) * img.dim), i * dim + txt.dim)
}
const classes = CONFUSION_ORDER.length
const options = { classes, folds: Number(values.folds), c: Number(values.c), maxIterations: Number(values.iterations), seed: Number(values.seed) }

// 1. Flipped labels: each chosen post gets one of the other classes at random.
const random = seededRandom(Number(values.seed))
const labels = Uint8Array.from(y)
const flipped = new Set<number>()
while (flipped.size < Math.round(Number(values.flip) * rows)) flipped.add(Math.floor(random() * rows))
for (const r of flipped) labels[r] = (labels[r]! + 1 + Math.floor(random() * (classes - 1))) % classes
let started = Date.now()
const probs = outOfFoldProbabilities({ x, rows, dim, y: labels }, options)
const issues = findLabelIssues(probs, labels, classes)
const top = issues.slice(0, flipped.size)
const found = top.filter((i) => flipped.has(i.row)).length
console.log(`${rows} train posts, ${flipped.size} labels flipped (seed ${values.seed}); ${issues.length} likely errors listed; ` +
  `top ${flipped.size}: ${found} flipped (${((100 * found) / flipped.size).toFixed(1)} %, target ≥ 60 %)  ${((Date.now() - started) / 1000).toFixed(0)} s`)

// 2. The real labels.
started = Date.now()
const real = findLabelIssues(outOfFoldProbabilities({ x, rows, dim, y: Uint8Array.from(y) }, options), y, classes)
const text = db.prepare<[number], { external_id: string; text: string }>('SELECT external_id, text FROM posts WHERE id = ?')
console.log(`\nReal labels: ${real.length} of ${rows} listed as likely errors (${((Date.now() - started) / 1000).toFixed(0)} s); the top ${values.show}:`)
console.log('| post | label | suggested | p(label) | text |\n|---|---|---|---|---|')
for (const issue of real.slice(0, Number(values.show))) {
  const post = text.get(ids[issue.row]!)!
  console.log(`| ${post.external_id} | ${CONFUSION_ORDER[issue.given]} | ${CONFUSION_ORDER[issue.suggested]} | ${issue.selfConfidence.toFixed(2)} | ${post.text.replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 90)} |`)
}
const shown = real.slice(0, Number(values.show))
const pairs = new Map<string, number>()
for (const issue of shown) {
  const key = `${CONFUSION_ORDER[issue.given]} → ${CONFUSION_ORDER[issue.suggested]}`
  pairs.set(key, (pairs.get(key) ?? 0) + 1)
}
console.log(`\nThe top ${shown.length}, given → suggested: ${[...pairs].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}; p(label) ${shown[0]?.selfConfidence.toFixed(2)}–${shown.at(-1)?.selfConfidence.toFixed(2)}`)
db.close()
