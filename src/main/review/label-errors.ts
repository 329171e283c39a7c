// Human labels that are probably wrong (issue 15, part 2): confident learning (Northcutt et al.,
// 2021; cleanlab's find_label_issues) on out-of-fold probabilities. Every labeled post gets a
// probability per class from a regularised linear head that never saw it (k folds); each class's
// threshold is the mean probability of that class over the posts labeled with it; a post is a
// likely error when the class it confidently belongs to (p ≥ threshold, the most probable such
// class) is not its label. Ranked by the normalised margin p[label] − max other p, lowest first.
import { fitLogReg, type Dataset } from '#main/features/probe/logistic-regression'
import { seededRandom } from '#main/core/random'

export interface LabelIssue {
  /** Row of the input. */
  row: number
  given: number
  /** The class the post confidently belongs to. */
  suggested: number
  /** p[given], and p[given] − max over other classes (the rank key: lowest first). */
  selfConfidence: number
  margin: number
}

/** Softmax probabilities (rows × classes) of each row from a model fitted on the other folds. */
export function outOfFoldProbabilities(data: Dataset, options: { classes: number; folds: number; c: number; maxIterations: number; seed: number }): Float64Array {
  const { rows, dim, classes } = { ...data, classes: options.classes }
  const random = seededRandom(options.seed)
  const fold = Int32Array.from({ length: rows }, (_, i) => i % options.folds)
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[fold[i], fold[j]] = [fold[j]!, fold[i]!]
  }
  const out = new Float64Array(rows * classes)
  for (let f = 0; f < options.folds; f++) {
    const train = [...fold.keys()].filter((i) => fold[i] !== f)
    const held = [...fold.keys()].filter((i) => fold[i] === f)
    const x = new Float32Array(train.length * dim)
    train.forEach((r, k) => x.set(data.x.subarray(r * dim, (r + 1) * dim), k * dim))
    const model = fitLogReg({ x, rows: train.length, dim, y: Uint8Array.from(train, (r) => data.y[r]!) }, { classes, c: options.c, maxIterations: options.maxIterations })
    for (const r of held) {
      const z = new Float64Array(classes)
      for (let k = 0; k < classes; k++) {
        const base = k * (dim + 1)
        let s = model.params[base + dim]!
        for (let j = 0; j < dim; j++) s += data.x[r * dim + j]! * model.params[base + j]!
        z[k] = s
      }
      const max = Math.max(...z)
      let sum = 0
      for (let k = 0; k < classes; k++) sum += out[r * classes + k] = Math.exp(z[k]! - max)
      for (let k = 0; k < classes; k++) out[r * classes + k]! /= sum
    }
  }
  return out
}

/** The likely label errors, most likely first. */
export function findLabelIssues(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): LabelIssue[] {
  const rows = labels.length
  const sum = new Float64Array(classes)
  const count = new Float64Array(classes)
  for (let i = 0; i < rows; i++) {
    sum[labels[i]!]! += probs[i * classes + labels[i]!]!
    count[labels[i]!]!++
  }
  const threshold = Array.from(sum, (s, k) => (count[k]! > 0 ? s / count[k]! : 1))
  const issues: LabelIssue[] = []
  for (let i = 0; i < rows; i++) {
    const given = labels[i]!
    let suggested = -1
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k]!
      if (p >= threshold[k]! && (suggested < 0 || p > probs[i * classes + suggested]!)) suggested = k
    }
    if (suggested < 0 || suggested === given) continue
    let otherMax = -Infinity
    for (let k = 0; k < classes; k++) if (k !== given) otherMax = Math.max(otherMax, probs[i * classes + k]!)
    const selfConfidence = probs[i * classes + given]!
    issues.push({ row: i, given, suggested, selfConfidence, margin: selfConfidence - otherMax })
  }
  return issues.sort((a, b) => a.margin - b.margin || a.row - b.row)
}
