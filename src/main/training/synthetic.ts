// A synthetic two-modality sentiment problem with cached-feature-like views: for unit tests, the
// bench and the figures in docs/TRAINING.md while no real feature cache exists. Each post has an
// overall class; its text and image each carry that class, except that now and then one modality
// carries another (the "reserving differences" case SCDR is built for). Features are class
// centres in a small latent space plus noise, spread to `dim` dimensions by a fixed random map;
// weak and strong views add more latent noise.
import type { EvalPosts, LabeledPosts, Matrix, ModalityViews, TrainingData, TrainPosts } from './data'
import { Rng } from './rng'

export interface SyntheticOptions {
  seed: number
  /** Posts in the training split (unlabeled pool), the labeled subset, val and test. */
  train: number
  labeled: number
  val: number
  test: number
  dimTxt: number
  dimImg: number
  /** Latent noise of the clean view, relative to the distance between class centres. */
  noise: number
  /** Share of posts whose text (and, separately, image) shows a class of its own. */
  disagreement: number
  /** Augmented variants per view kind. */
  variants: number
}

const LATENT = 8
const CLASSES = 3

function normal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the log finite.
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
}

interface Modality {
  centres: Float64Array[]
  map: Float64Array
  dim: number
}

function modality(rng: Rng, dim: number): Modality {
  const centres = Array.from({ length: CLASSES }, () => Float64Array.from({ length: LATENT }, () => normal(rng)))
  const map = Float64Array.from({ length: LATENT * dim }, () => normal(rng) / Math.sqrt(LATENT))
  return { centres, map, dim }
}

/** Features of `labels` (one class per post) with latent noise `sigma`. */
function features(m: Modality, labels: Int32Array, sigma: number, rng: Rng): Matrix {
  const data = new Float32Array(labels.length * m.dim)
  const z = new Float64Array(LATENT)
  for (let i = 0; i < labels.length; i++) {
    const centre = m.centres[labels[i]!]!
    for (let k = 0; k < LATENT; k++) z[k] = centre[k]! + sigma * normal(rng)
    for (let j = 0; j < m.dim; j++) {
      let v = 0
      for (let k = 0; k < LATENT; k++) v += z[k]! * m.map[k * m.dim + j]!
      data[i * m.dim + j] = v
    }
  }
  return { rows: labels.length, dim: m.dim, data }
}

export function syntheticProblem(o: SyntheticOptions): TrainingData<Matrix> {
  const rng = new Rng(o.seed, 7)
  const txt = modality(rng, o.dimTxt)
  const img = modality(rng, o.dimImg)
  const total = o.train + o.val + o.test
  const y = Int32Array.from({ length: total }, () => rng.int(CLASSES))
  const own = (): Int32Array => Int32Array.from(y, (c) => (rng.next() < o.disagreement ? rng.int(CLASSES) : c))
  const yTxt = own()
  const yImg = own()
  const views = (m: Modality, labels: Int32Array): ModalityViews<Matrix> => ({
    clean: features(m, labels, o.noise, rng),
    weak: Array.from({ length: o.variants }, () => features(m, labels, o.noise * 1.2, rng)),
    strong: Array.from({ length: o.variants }, () => features(m, labels, o.noise * 2, rng)),
  })
  const range = (start: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => start + i)
  const subsetOf = (v: ModalityViews<Matrix>, rows: Int32Array): ModalityViews<Matrix> => ({
    clean: pick(v.clean, rows),
    weak: v.weak.map((m) => pick(m, rows)),
    strong: v.strong.map((m) => pick(m, rows)),
  })
  const trainRows = range(0, o.train)
  const tv = views(txt, yTxt.subarray(0, o.train))
  const iv = views(img, yImg.subarray(0, o.train))
  const unlabeled: TrainPosts<Matrix> = { ids: Array.from(trainRows), txt: tv, img: iv }
  const labeledRows = range(0, o.labeled)
  const labeled: LabeledPosts = { ids: Array.from(labeledRows), txt: subsetOf(tv, labeledRows), img: subsetOf(iv, labeledRows), y: y.slice(0, o.labeled) }
  const split = (start: number, n: number): EvalPosts => ({
    ids: Array.from(range(start, n)),
    txt: features(txt, yTxt.subarray(start, start + n), o.noise, rng),
    img: features(img, yImg.subarray(start, start + n), o.noise, rng),
    y: y.slice(start, start + n),
  })
  // The pool's labels outside the labeled subset are known, as an imported data set's are (a teacher's accuracy is logged on them).
  const unlabeledKnown = Int32Array.from(trainRows, (r) => (r < o.labeled ? -1 : y[r]!))
  return { labeled, unlabeled, val: split(o.train, o.val), test: split(o.train + o.val, o.test), unlabeledKnown }
}

function pick(m: Matrix, rows: Int32Array): Matrix {
  const data = new Float32Array(rows.length * m.dim)
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.dim, (r + 1) * m.dim), i * m.dim))
  return { rows: rows.length, dim: m.dim, data }
}
