// Human labels that are probably wrong (issue 15, part 2): confident learning (Northcutt et al.,
// 2021; the method behind cleanlab's find_label_issues with filter_by='prune_by_noise_rate') on
// out-of-fold probabilities. Every labeled post gets a probability per class from a regularised
// linear head that never saw it (k folds). Each class's threshold is the mean probability of that
// class over the posts labeled with it; a post counts towards the confident joint C[given][j] for
// the most probable class j whose probability reaches j's threshold. C is calibrated so each row
// sums to the number of posts given that label; then, for every pair given i ≠ true j, the
// round(C[i][j]) posts labeled i with the largest margin p[j] − p[i] are listed, suggesting j.
// The list is ranked by self-confidence, p[given label], lowest first (cleanlab's default score).
import { fitLogReg, type Dataset } from '#main/features/probe/logistic-regression'
import { seededRandom } from '#main/core/random'

export interface LabelIssue {
  /** Row of the input. */
  row: number
  given: number
  /** The class the post confidently belongs to. */
  suggested: number
  /** p[given] (the rank key: lowest first), and p[given] − max over other classes. */
  selfConfidence: number
  margin: number
}

export interface OutOfFoldOptions {
  classes: number
  folds: number
  /** Inverse regularisation strength (sklearn's C) of the linear head. */
  c: number
  maxIterations: number
  seed: number
  /** Called after each fold with the folds done so far. */
  onFold?: (done: number, folds: number) => void
}

/** The settings a label check uses unless told otherwise: chosen with `bench/label-errors.ts` on MVSA (RESULTS.md). */
export const LABEL_CHECK_DEFAULTS = { folds: 5, c: 0.0003, maxIterations: 60, seed: 1 } as const

/** A row assignment to `folds` folds of near-equal size, shuffled by `seed`. */
function assignFolds(rows: number, folds: number, seed: number): Int32Array {
  const random = seededRandom(seed)
  const fold = Int32Array.from({ length: rows }, (_, i) => i % folds)
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[fold[i], fold[j]] = [fold[j]!, fold[i]!]
  }
  return fold
}

/** Softmax probabilities (rows × classes) of each row from a model fitted on the other folds. */
export function outOfFoldProbabilities(data: Dataset, options: OutOfFoldOptions): Float64Array {
  const { rows, dim } = data
  const { classes } = options
  const fold = assignFolds(rows, options.folds, options.seed)
  const out = new Float64Array(rows * classes)
  const z = new Float64Array(classes)
  for (let f = 0; f < options.folds; f++) {
    const train = [...fold.keys()].filter((i) => fold[i] !== f)
    const x = new Float32Array(train.length * dim)
    train.forEach((r, k) => x.set(data.x.subarray(r * dim, (r + 1) * dim), k * dim))
    const model = fitLogReg({ x, rows: train.length, dim, y: Uint8Array.from(train, (r) => data.y[r]!) }, { classes, c: options.c, maxIterations: options.maxIterations })
    for (let r = 0; r < rows; r++) {
      if (fold[r] !== f) continue
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
    options.onFold?.(f + 1, options.folds)
  }
  return out
}

/** Per class, the mean probability of that class over the rows labeled with it (1 for a class nobody was given). */
export function perClassThresholds(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[] {
  const sum = new Float64Array(classes)
  const count = new Float64Array(classes)
  for (let i = 0; i < labels.length; i++) {
    sum[labels[i]!]! += probs[i * classes + labels[i]!]!
    count[labels[i]!]!++
  }
  return Array.from(sum, (s, k) => (count[k]! > 0 ? s / count[k]! : 1))
}

/** The confident joint C[given][true], calibrated so row i sums to the number of rows labeled i. */
export function confidentJoint(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  const threshold = perClassThresholds(probs, labels, classes)
  const joint = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  const given = new Array<number>(classes).fill(0)
  for (let i = 0; i < labels.length; i++) {
    given[labels[i]!]!++
    let confident = -1
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k]!
      if (p >= threshold[k]! && (confident < 0 || p > probs[i * classes + confident]!)) confident = k
    }
    if (confident >= 0) joint[labels[i]!]![confident]!++
  }
  return joint.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0)
    return total > 0 ? row.map((n) => (n * given[i]!) / total) : row
  })
}

/** The likely label errors, least self-confident first. */
export function findLabelIssues(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): LabelIssue[] {
  const joint = confidentJoint(probs, labels, classes)
  const p = (row: number, k: number): number => probs[row * classes + k]!
  const suggestion = new Map<number, number>()
  for (let i = 0; i < classes; i++) {
    const labeledI = [...Array(labels.length).keys()].filter((r) => labels[r] === i)
    for (let j = 0; j < classes; j++) {
      const prune = i === j ? 0 : Math.round(joint[i]![j]!)
      if (prune === 0) continue
      const byMargin = labeledI.slice().sort((a, b) => p(b, j) - p(b, i) - (p(a, j) - p(a, i)) || a - b)
      for (const row of byMargin.slice(0, prune)) {
        const before = suggestion.get(row)
        if (before === undefined || p(row, j) > p(row, before)) suggestion.set(row, j)
      }
    }
  }
  const issues: LabelIssue[] = []
  for (const [row, suggested] of suggestion) {
    const given = labels[row]!
    let otherMax = -Infinity
    for (let k = 0; k < classes; k++) if (k !== given) otherMax = Math.max(otherMax, p(row, k))
    issues.push({ row, given, suggested, selfConfidence: p(row, given), margin: p(row, given) - otherMax })
  }
  return issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.row - b.row)
}
