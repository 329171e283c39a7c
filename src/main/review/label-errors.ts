// Human labels that are probably wrong (issue 15, part 2): confident learning (Northcutt et al.,
// 2021; the method behind cleanlab's find_label_issues) on out-of-fold probabilities. Every labeled
// post gets a probability per class from a regularised linear head that never saw it (k folds).
// Each class's threshold is the mean probability of that class over the posts labeled with it; a
// post counts towards the confident joint C[given][j] for the most probable class j whose
// probability reaches j's threshold. C is calibrated so each row sums to the number of posts given
// that label. Then a filter, as cleanlab's `filter_by`:
// - prune_by_noise_rate (default): for every pair given i ≠ true j, the round(C[i][j]) posts
//   labeled i with the largest margin p[j] − p[i];
// - prune_by_class: for every class i, the round(Σ_{j≠i} C[i][j]) posts labeled i with the lowest p[i];
// - both: the posts both filters list.
// A listed post suggests the class j it was pruned towards (the most probable such class). The list
// is ranked by a label-quality score, lowest first, as cleanlab's `rank_by`: self-confidence p[given]
// (default), normalized margin p[given] − max_{k≠given} p[k], or confidence-weighted entropy.
import { fitLogReg, type Dataset, type LogRegModel } from '#main/features/probe/logistic-regression'
import { seededRandom } from '#main/core/random'

export interface LabelIssue {
  /** Row of the input. */
  row: number
  given: number
  /** The class the post confidently belongs to. */
  suggested: number
  /** p[given], and p[given] − max over other classes. */
  selfConfidence: number
  margin: number
  /** The label-quality score the list is ranked by, lowest first (`rankBy`). */
  quality: number
}

export type IssueFilter = 'prune_by_noise_rate' | 'prune_by_class' | 'both'
export type IssueRanking = 'self_confidence' | 'normalized_margin' | 'confidence_weighted_entropy'

export interface IssueOptions {
  filter?: IssueFilter
  rankBy?: IssueRanking
}

export interface OutOfFoldOptions {
  classes: number
  folds: number
  /** Inverse regularisation strength (sklearn's C) of the linear head. */
  c: number
  maxIterations: number
  seed: number
  /** Fold assignments (seeds seed, seed + 1, …) whose out-of-fold probabilities are averaged (default 1). */
  splits?: number
  /** Other views of the same rows (augmented features, `rows × dim`): each held-out row's probabilities are averaged over its clean and these views. */
  views?: Float32Array[]
  /** Called after each fold with the folds done so far (over all splits). */
  onFold?: (done: number, folds: number) => void
}

/** The settings a label check uses unless told otherwise: chosen with `bench/label-errors.ts` on MVSA (RESULTS.md). */
export const LABEL_CHECK_DEFAULTS = {
  folds: 5,
  c: 0.0003,
  maxIterations: 60,
  seed: 1,
  splits: 1,
  calibrate: 'vector' as 'none' | 'vector',
  filter: 'prune_by_noise_rate' as IssueFilter,
  rankBy: 'self_confidence' as IssueRanking,
}

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

/** Adds softmax(model · x[row]) / weight into out[row]. */
function addProbabilities(model: LogRegModel, x: Float32Array, row: number, weight: number, out: Float64Array, z: Float64Array): void {
  const { dim, classes, params } = model
  for (let k = 0; k < classes; k++) {
    const base = k * (dim + 1)
    let s = params[base + dim]!
    for (let j = 0; j < dim; j++) s += x[row * dim + j]! * params[base + j]!
    z[k] = s
  }
  const max = Math.max(...z)
  let sum = 0
  for (let k = 0; k < classes; k++) sum += z[k] = Math.exp(z[k]! - max)
  for (let k = 0; k < classes; k++) out[row * classes + k]! += z[k]! / sum / weight
}

/** Softmax probabilities (rows × classes) of each row from a model fitted on the other folds. */
export function outOfFoldProbabilities(data: Dataset, options: OutOfFoldOptions): Float64Array {
  const { rows, dim } = data
  const { classes } = options
  const splits = options.splits ?? 1
  const inputs = [data.x, ...(options.views ?? [])]
  const out = new Float64Array(rows * classes)
  const z = new Float64Array(classes)
  for (let split = 0; split < splits; split++) {
    const fold = assignFolds(rows, options.folds, options.seed + split)
    for (let f = 0; f < options.folds; f++) {
      const train = [...fold.keys()].filter((i) => fold[i] !== f)
      const x = new Float32Array(train.length * dim)
      train.forEach((r, k) => x.set(data.x.subarray(r * dim, (r + 1) * dim), k * dim))
      const model = fitLogReg({ x, rows: train.length, dim, y: Uint8Array.from(train, (r) => data.y[r]!) }, { classes, c: options.c, maxIterations: options.maxIterations })
      for (let r = 0; r < rows; r++) if (fold[r] === f) for (const input of inputs) addProbabilities(model, input, r, splits * inputs.length, out, z)
      options.onFold?.(split * options.folds + f + 1, splits * options.folds)
    }
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

/** Per listed row, the class it was pruned towards, by cleanlab's prune_by_noise_rate. */
function pruneByNoiseRate(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number, joint: number[][]): Map<number, number> {
  const p = (row: number, k: number): number => probs[row * classes + k]!
  const suggestion = new Map<number, number>()
  for (let i = 0; i < classes; i++) {
    const labeledI = rowsLabeled(labels, i)
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
  return suggestion
}

/** The rows cleanlab's prune_by_class lists: per class i, the round(Σ_{j≠i} C[i][j]) rows labeled i with the lowest p[i]. */
function pruneByClass(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number, joint: number[][]): Set<number> {
  const listed = new Set<number>()
  for (let i = 0; i < classes; i++) {
    const prune = Math.round(joint[i]!.reduce((sum, n, j) => (j === i ? sum : sum + n), 0))
    const byLabelProbability = rowsLabeled(labels, i).sort((a, b) => probs[a * classes + i]! - probs[b * classes + i]! || a - b)
    for (const row of byLabelProbability.slice(0, prune)) listed.add(row)
  }
  return listed
}

function rowsLabeled(labels: ArrayLike<number>, k: number): number[] {
  const rows: number[] = []
  for (let r = 0; r < labels.length; r++) if (labels[r] === k) rows.push(r)
  return rows
}

/** The most probable class other than the given one. */
function mostProbableOther(probs: ArrayLike<number>, row: number, given: number, classes: number): number {
  let best = -1
  for (let k = 0; k < classes; k++) if (k !== given && (best < 0 || probs[row * classes + k]! > probs[row * classes + best]!)) best = k
  return best
}

/**
 * cleanlab's label-quality scores (lower = more likely wrong): self-confidence p[given]; normalized
 * margin (p[given] − max other + 1) / 2; confidence-weighted entropy log(r + 1) / r with r =
 * H(p) / log(classes) / p[given] (cleanlab clips both at 1e-6).
 */
export function labelQuality(p: ArrayLike<number>, given: number, rankBy: IssueRanking): number {
  const self = p[given]!
  let otherMax = -Infinity
  for (let k = 0; k < p.length; k++) if (k !== given) otherMax = Math.max(otherMax, p[k]!)
  if (rankBy === 'self_confidence') return self
  if (rankBy === 'normalized_margin') return (self - otherMax + 1) / 2
  let entropy = 0
  for (let k = 0; k < p.length; k++) if (p[k]! > 0) entropy -= p[k]! * Math.log(p[k]!)
  const ratio = Math.max(entropy / Math.log(p.length) / Math.max(self, 1e-6), 1e-6)
  return Math.log(ratio + 1) / ratio
}

/** The likely label errors, lowest label quality first (by default: least self-confident first). */
export function findLabelIssues(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number, options: IssueOptions = {}): LabelIssue[] {
  const filter = options.filter ?? 'prune_by_noise_rate'
  const rankBy = options.rankBy ?? 'self_confidence'
  const joint = confidentJoint(probs, labels, classes)
  const byNoiseRate = filter === 'prune_by_class' ? null : pruneByNoiseRate(probs, labels, classes, joint)
  const byClass = filter === 'prune_by_noise_rate' ? null : pruneByClass(probs, labels, classes, joint)
  const listed = byNoiseRate === null ? [...byClass!] : [...byNoiseRate.keys()].filter((row) => byClass === null || byClass.has(row))
  return listed
    .map((row): LabelIssue => {
      const given = labels[row]!
      const p = Array.prototype.slice.call(probs, row * classes, (row + 1) * classes) as number[]
      const suggested = byNoiseRate?.get(row) ?? mostProbableOther(probs, row, given, classes)
      return { row, given, suggested, selfConfidence: p[given]!, margin: 2 * labelQuality(p, given, 'normalized_margin') - 1, quality: labelQuality(p, given, rankBy) }
    })
    .sort((a, b) => a.quality - b.quality || a.row - b.row)
}
