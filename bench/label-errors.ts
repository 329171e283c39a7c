// Confident learning on a store's train labels (issue 15, part 2): flip a share of the labels at
// random (seeded, in memory: the store is opened read-only), find the likely label errors from
// out-of-fold probabilities, and count how many flipped posts the top-N of the list holds (N = the
// number of flips), for each flip seed (the seed also shuffles the folds). Then, with --show N, the
// same on the real labels: the top of the list, with texts.
//
//   node bin/run-ts.mjs bench/label-errors.ts --db COPY.db [--project mvsa] [--encoder default-v2|default-v1]
//     [--flip 0.1] [--flip-seeds 1,2,3] [--c 0.0003] [--folds 5] [--splits 1] [--calibrate none|vector]
//     [--filter prune_by_noise_rate|prune_by_class|both] [--rank-by self_confidence|normalized_margin|confidence_weighted_entropy]
//     [--heads fused|fused+modalities] [--tta] [--grid] [--show 10] [--stack [--stack-text default-v1] [--stack-set wide|narrow]]
//     [--oracle 0,0.5,1,…]
//
// The levers it measures (RESULTS.md, "what we tried"): --splits (fold assignments averaged),
// --calibrate (vector scaling of the out-of-fold probabilities), --filter and --rank-by (cleanlab's
// filter_by and rank_by), --heads fused+modalities (a text-only and an image-only head averaged with
// the fused one), --tta (held-out probabilities averaged over the cached weak and strong views).
// --stack (issue 15's second round) stacks diverse evidence: out-of-fold probabilities of the fused,
// text-only and image-only heads, and the label shares of each post's nearest neighbours
// (review/neighbour-labels.ts) by raw text features (50) and standardised fused ones (25);
// --stack-text PAIR adds a text-only head on another pair's text features (same rows). That is
// --stack-set narrow; wide (the default) adds the first 10 of both neighbour lists, 25 by the
// standardised image features, and with --stack-text a head on the other text with the image, one
// on both texts with the image (C × 2/3) and the other text's 25 nearest neighbours. The standardised log-probabilities of all of them feed a
// second logistic regression (C 0.01, 200 iterations), itself fitted out of fold on the same folds.
// Each seed prints the default's figure beside the stack's (without and with vector scaling).
// --grid also scores every calibrate × filter × rank-by combination on the same out-of-fold
// probabilities (they cost nothing once the heads are fitted).
// --oracle B1,B2,… asks what a better model would find: the held-out probabilities pushed toward
// each post's original (unflipped) label by B nats (p(original) × e^B, renormalised) before the
// default's calibration and ranking, as from a model that knows that much more about MVSA's labels;
// it prints, per B, how often the pushed probabilities' top class is the original label and the
// share of flips in the top N. A diagnostic of the ceiling, never a lever: it reads the truth.
import { parseArgs } from 'node:util'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { openDatabase } from '#main/db/store'
import { seededRandom } from '#main/core/random'
import { loadTrainingData } from '#main/training/load-data'
import type { Matrix, ModalityViews } from '#main/training/data'
import { applyScaler, fitScaler } from '#main/features/probe/standardize'
import { findLabelIssues, LABEL_CHECK_DEFAULTS, outOfFoldProbabilities, type IssueFilter, type IssueRanking } from '#main/review/label-errors'
import { vectorScale } from '#main/review/oof-calibration'
import { wholeView } from '#main/training/view-rows'
import { nearestNeighbours, neighbourLabelProbabilities } from '#main/review/neighbour-labels'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    project: { type: 'string', default: 'mvsa' },
    encoder: { type: 'string', default: 'default' },
    flip: { type: 'string', default: '0.1' },
    'flip-seeds': { type: 'string', default: '1' },
    c: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.c) },
    folds: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.folds) },
    iterations: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.maxIterations) },
    splits: { type: 'string', default: String(LABEL_CHECK_DEFAULTS.splits) },
    calibrate: { type: 'string', default: LABEL_CHECK_DEFAULTS.calibrate },
    filter: { type: 'string', default: LABEL_CHECK_DEFAULTS.filter },
    'rank-by': { type: 'string', default: LABEL_CHECK_DEFAULTS.rankBy },
    heads: { type: 'string', default: 'fused' },
    tta: { type: 'boolean', default: false },
    grid: { type: 'boolean', default: false },
    show: { type: 'string', default: '0' },
    stack: { type: 'boolean', default: false },
    'stack-text': { type: 'string' },
    'stack-set': { type: 'string', default: 'wide' },
    oracle: { type: 'string' },
  },
})
if (!values.db) throw new Error('--db FILE is required (a copy of a store with cached features)')
const db = openDatabase(values.db, { readonly: true })
const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(values.project!)
if (!project) throw new Error(`--project ${values.project}: no such project`)
const projectId = project.id
const trainCount = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM posts WHERE project_id = ? AND split = 'train' AND label_overall IS NOT NULL AND conflict = 0").get(project.id)!.n
const loaded = loadTrainingData(db, { projectId: project.id, encoder: values.encoder!, labels: { mode: 'draw', n: trainCount, draw: 'proportional', seed: 1 } })
if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
const { ids, y } = loaded.data.labeled
const rows = ids.length
const classes = CONFUSION_ORDER.length

/** Matrices of the same rows side by side, row by row. */
function matrixOf(parts: Matrix[]): { x: Float32Array; dim: number } {
  if (parts.length === 1) return { x: parts[0]!.data, dim: parts[0]!.dim }
  const dim = parts.reduce((sum, m) => sum + m.dim, 0)
  const x = new Float32Array(rows * dim)
  for (let i = 0; i < rows; i++) {
    let at = i * dim
    for (const m of parts) {
      x.set(m.data.subarray(i * m.dim, (i + 1) * m.dim), at)
      at += m.dim
    }
  }
  return { x, dim }
}
/** The augmented views a head on these modalities can be shown at test time (a text's weak view is its clean one). */
function augmentedViews(parts: ModalityViews[]): Matrix[][] {
  const weak = parts.map((m) => wholeView(m.weak[0] ?? m.clean))
  const strong = parts.map((m) => wholeView(m.strong[0] ?? m.weak[0] ?? m.clean))
  return [weak, strong]
}
const { txt, img } = loaded.data.labeled
const heads: ModalityViews[][] = values.heads === 'fused+modalities' ? [[txt, img], [txt], [img]] : [[txt, img]]
if (!['fused', 'fused+modalities'].includes(values.heads!)) throw new Error(`--heads ${values.heads}: fused or fused+modalities`)
const issueOptions = { filter: values.filter as IssueFilter, rankBy: values['rank-by'] as IssueRanking }

/** Out-of-fold probabilities from every head, averaged. */
function probabilities(labels: Uint8Array, seed: number): Float64Array {
  const sum = new Float64Array(rows * classes)
  for (const parts of heads) {
    const { x, dim } = matrixOf(parts.map((m) => wholeView(m.clean)))
    const views = values.tta ? augmentedViews(parts).map((view) => matrixOf(view).x) : []
    const options = { classes, folds: Number(values.folds), c: Number(values.c), maxIterations: Number(values.iterations), seed, splits: Number(values.splits), views }
    outOfFoldProbabilities({ x, rows, dim, y: labels }, options).forEach((p, i) => (sum[i]! += p / heads.length))
  }
  return sum
}
function calibrated(probs: Float64Array, labels: Uint8Array, calibrate: string): Float64Array {
  if (calibrate === 'vector') return vectorScale(probs, labels, classes).probs
  if (calibrate !== 'none') throw new Error(`--calibrate ${calibrate}: none or vector`)
  return probs
}
const FILTERS: IssueFilter[] = ['prune_by_noise_rate', 'prune_by_class', 'both']
const RANKINGS: IssueRanking[] = ['self_confidence', 'normalized_margin', 'confidence_weighted_entropy']
const grid = new Map<string, number[]>()

/** The other pair's clean text features for the same rows (its own standardisation), for --stack-text. */
function otherText(pair: string): Matrix {
  const other = loadTrainingData(db, { projectId, encoder: pair, labels: { mode: 'draw', n: trainCount, draw: 'proportional', seed: 1 } })
  if (other.problems.length > 0) throw new Error(other.problems.join('\n'))
  if (other.data.labeled.ids.some((id, i) => id !== ids[i])) throw new Error(`--stack-text ${pair}: its labeled rows differ from ${values.encoder}'s`)
  return wholeView(other.data.labeled.txt.clean)
}
/** The first k of each row's neighbours, from a list of kFrom per row (most similar first). */
const firstK = (of: Int32Array, kFrom: number, k: number): Int32Array => Int32Array.from({ length: rows * k }, (_, i) => of[Math.floor(i / k) * kFrom + (i % k)]!)
const stackInputs = values.stack
  ? (() => {
      const rawTxt = loadTrainingData(db, { projectId, encoder: values.encoder!, standardize: false, labels: { mode: 'draw', n: trainCount, draw: 'proportional', seed: 1 } })
      const [t, i] = [wholeView(txt.clean), wholeView(img.clean)]
      const other = values['stack-text'] ? otherText(values['stack-text']) : null
      const near = (parts: Matrix[], k: number): Int32Array => {
        const { x, dim } = matrixOf(parts)
        return nearestNeighbours(x, rows, dim, k)
      }
      const rawText = near([wholeView(rawTxt.data.labeled.txt.clean)], 50)
      const fused = near([t, i], 25)
      const wide = values['stack-set'] === 'wide'
      if (!['wide', 'narrow'].includes(values['stack-set']!)) throw new Error(`--stack-set ${values['stack-set']}: wide or narrow`)
      const neighbours = wide
        ? [{ k: 50, of: rawText }, { k: 10, of: firstK(rawText, 50, 10) }, { k: 25, of: fused }, { k: 10, of: firstK(fused, 25, 10) }, { k: 25, of: near([i], 25) }, ...(other ? [{ k: 25, of: near([other], 25) }] : [])]
        : [{ k: 50, of: rawText }, { k: 25, of: fused }]
      const c = Number(values.c)
      const heads = [{ parts: [t, i], c }, { parts: [t], c }, { parts: [i], c }]
      if (other) heads.push({ parts: [other], c })
      if (wide && other) heads.push({ parts: [other, i], c }, { parts: [other, t, i], c: (c * 2) / 3 })
      return { neighbours, heads: heads.map((h) => ({ ...matrixOf(h.parts), c: h.c })) }
    })()
  : null

/** Out-of-fold probabilities of a logistic regression on the standardised log-probabilities of every head and neighbour vote. */
function stacked(labels: Uint8Array, seed: number): Float64Array {
  const { neighbours, heads } = stackInputs!
  const fit = { classes, folds: Number(values.folds), maxIterations: Number(values.iterations), seed }
  const parts = [
    ...heads.map(({ x, dim, c }) => outOfFoldProbabilities({ x, rows, dim, y: labels }, { ...fit, c })),
    ...neighbours.map(({ k, of }) => neighbourLabelProbabilities(of, k, labels, classes)),
  ]
  const dim = parts.length * classes
  const z = new Float32Array(rows * dim)
  parts.forEach((p, part) => p.forEach((v, i) => (z[Math.floor(i / classes) * dim + part * classes + (i % classes)] = Math.log(v + 1e-9))))
  applyScaler(fitScaler(z, rows, dim), z, rows, dim)
  return outOfFoldProbabilities({ x: z, rows, dim, y: labels }, { ...fit, c: 0.01, maxIterations: 200 })
}
const stackFound: number[][] = [[], []]
const oracleBoosts = values.oracle ? values.oracle.split(',').map(Number) : []
/** Per boost: agreement of the pushed probabilities with the original labels, and the flips in the top N, per flip seed. */
const oracle = oracleBoosts.map(() => ({ agreement: [] as number[], found: [] as number[] }))
/** `probs` with each row's `original` class × e^boost, renormalised. */
function pushedToward(probs: Float64Array, original: ArrayLike<number>, boost: number): Float64Array {
  const out = Float64Array.from(probs)
  for (let r = 0; r < rows; r++) {
    out[r * classes + original[r]!]! *= Math.exp(boost)
    let sum = 0
    for (let c = 0; c < classes; c++) sum += out[r * classes + c]!
    for (let c = 0; c < classes; c++) out[r * classes + c]! /= sum
  }
  return out
}
/** Share of rows whose top class is `original`'s. */
function agreementWith(probs: Float64Array, original: ArrayLike<number>): number {
  let agree = 0
  for (let r = 0; r < rows; r++) {
    let top = 0
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + top]!) top = c
    if (top === original[r]) agree++
  }
  return (100 * agree) / rows
}

// 1. Flipped labels: each chosen post gets one of the other classes at random.
const found: number[] = []
for (const seed of values['flip-seeds']!.split(',').map(Number)) {
  const random = seededRandom(seed)
  const labels = Uint8Array.from(y)
  const flipped = new Set<number>()
  while (flipped.size < Math.round(Number(values.flip) * rows)) flipped.add(Math.floor(random() * rows))
  for (const r of flipped) labels[r] = (labels[r]! + 1 + Math.floor(random() * (classes - 1))) % classes
  const started = Date.now()
  const probs = probabilities(labels, seed)
  const issues = findLabelIssues(calibrated(probs, labels, values.calibrate!), labels, classes, issueOptions)
  const hits = issues.slice(0, flipped.size).filter((i) => flipped.has(i.row)).length
  found.push((100 * hits) / flipped.size)
  console.log(
    `${rows} train posts, ${flipped.size} labels flipped (seed ${seed}); ${issues.length} likely errors listed; ` +
      `top ${flipped.size}: ${hits} flipped (${found.at(-1)!.toFixed(1)} %, target ≥ 60 %)  ${((Date.now() - started) / 1000).toFixed(0)} s`,
  )
  oracleBoosts.forEach((boost, b) => {
    const pushed = pushedToward(probs, y, boost)
    const top = findLabelIssues(calibrated(pushed, labels, values.calibrate!), labels, classes, issueOptions).slice(0, flipped.size)
    oracle[b]!.agreement.push(agreementWith(pushed, y))
    oracle[b]!.found.push((100 * top.filter((issue) => flipped.has(issue.row)).length) / flipped.size)
  })
  if (stackInputs) {
    const p = stacked(labels, seed)
    ;['none', 'vector'].forEach((calibrate, i) => {
      const top = findLabelIssues(calibrated(p, labels, calibrate), labels, classes, issueOptions).slice(0, flipped.size)
      stackFound[i]!.push((100 * top.filter((issue) => flipped.has(issue.row)).length) / flipped.size)
    })
    console.log(`  stack (seed ${seed}): ${stackFound.map((f, i) => `calibrate=${i ? 'vector' : 'none'} ${f.at(-1)!.toFixed(1)} %`).join(', ')}  ${((Date.now() - started) / 1000).toFixed(0)} s with the default`)
  }
  if (!values.grid) continue
  for (const calibrate of ['none', 'vector']) {
    const p = calibrated(probs, labels, calibrate)
    for (const filter of FILTERS) {
      for (const rankBy of RANKINGS) {
        const top = findLabelIssues(p, labels, classes, { filter, rankBy }).slice(0, flipped.size)
        const key = `calibrate=${calibrate} filter=${filter} rank-by=${rankBy}`
        grid.set(key, [...(grid.get(key) ?? []), (100 * top.filter((i) => flipped.has(i.row)).length) / flipped.size])
      }
    }
  }
}
const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)
for (const [key, shares] of grid) console.log(`  ${key}: ${shares.map((f) => f.toFixed(1)).join(' / ')} %, mean ${mean(shares)} %`)
const settings = Object.entries(values).filter(([k]) => !['db', 'project', 'show', 'flip-seeds', 'grid'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ')
if (oracle.length > 0) {
  console.log('\n| push toward the original label (nats) | top class = original label | flips in the top N |\n|---|---|---|')
  oracleBoosts.forEach((boost, b) => console.log(`| ${boost} | ${mean(oracle[b]!.agreement)} % | ${mean(oracle[b]!.found)} % (${oracle[b]!.found.map((f) => f.toFixed(1)).join(' / ')}) |`))
}
if (stackInputs) stackFound.forEach((f, i) => console.log(`stack, calibrate=${i ? 'vector' : 'none'}: ${f.map((v) => v.toFixed(1)).join(' / ')} %, mean ${mean(f)} %`))
console.log(`flip seeds ${values['flip-seeds']}: ${found.map((f) => f.toFixed(1)).join(' / ')} %, mean ${mean(found)} %  (${settings})`)

// 2. The real labels.
const show = Number(values.show)
if (show > 0) {
  const started = Date.now()
  const real = findLabelIssues(calibrated(probabilities(Uint8Array.from(y), LABEL_CHECK_DEFAULTS.seed), Uint8Array.from(y), values.calibrate!), y, classes, issueOptions)
  const text = db.prepare<[number], { external_id: string; text: string }>('SELECT external_id, text FROM posts WHERE id = ?')
  console.log(`\nReal labels: ${real.length} of ${rows} listed as likely errors (${((Date.now() - started) / 1000).toFixed(0)} s); the top ${show}:`)
  console.log('| post | label | suggested | p(label) | text |\n|---|---|---|---|---|')
  for (const issue of real.slice(0, show)) {
    const post = text.get(ids[issue.row]!)!
    console.log(`| ${post.external_id} | ${CONFUSION_ORDER[issue.given]} | ${CONFUSION_ORDER[issue.suggested]} | ${issue.selfConfidence.toFixed(2)} | ${post.text.replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 90)} |`)
  }
  const shown = real.slice(0, show)
  const pairs = new Map<string, number>()
  for (const issue of shown) {
    const key = `${CONFUSION_ORDER[issue.given]} → ${CONFUSION_ORDER[issue.suggested]}`
    pairs.set(key, (pairs.get(key) ?? 0) + 1)
  }
  console.log(`\nThe top ${shown.length}, given → suggested: ${[...pairs].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}; p(label) ${shown[0]?.selfConfidence.toFixed(2)}–${shown.at(-1)?.selfConfidence.toFixed(2)}`)
}
db.close()
