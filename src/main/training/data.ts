// What the trainer trains on: cached features per modality and view, and the batches drawn from
// them. Views follow features/views.ts: clean, K weak and K strong variants per modality (a text's
// weak view is its clean text, so `weak` may be empty). The labeled posts and the evaluation splits
// are matrices in memory; the unlabeled pool's views may be rows read from the feature cache by
// index (view-rows.ts), so a 100,000-post pool is never held whole.
import type { Rng } from './rng'
import { inMemory, readRows, type Matrix, type ViewRows } from './view-rows'

export type { Matrix } from './view-rows'

export interface ModalityViews<V extends ViewRows = ViewRows> {
  clean: V
  /** Weakly augmented variants; empty = the clean features are the weak view. */
  weak: V[]
  /** Strongly augmented variants; empty = weak features with feature dropout (config `strongFallbackDropout`). */
  strong: V[]
}

export interface TrainPosts<V extends ViewRows = ViewRows> {
  /** Post ids, one per row of every view. */
  ids: number[]
  img: ModalityViews<V>
  txt: ModalityViews<V>
}

export interface LabeledPosts extends TrainPosts<Matrix> {
  /** Class index per row: 0 negative, 1 neutral, 2 positive (the order SCDR's ordinal hinge needs). */
  y: ArrayLike<number>
}

export interface EvalPosts {
  ids: number[]
  img: Matrix
  txt: Matrix
  y: ArrayLike<number>
}

/**
 * Text-guided fusion: every image matrix (each view and split) holds, after the `pooled` columns of
 * the image encoder's vector, the post's `cells` region rows of `channels` values (one row block).
 */
export interface RegionLayout {
  pooled: number
  cells: number
  channels: number
}

export interface TrainingData<V extends ViewRows = ViewRows> {
  /** Where the image matrices hold region rows (text-guided fusion); absent = pooled vectors only. */
  regions?: RegionLayout
  labeled: LabeledPosts
  /** SCRD's default puts the labeled posts in here too (include_lb_to_ulb). */
  unlabeled: TrainPosts<V>
  val?: EvalPosts
  test?: EvalPosts
  /** Class indices of labels drawn at random from the pool (not the labeled subset): they estimate the class prior. */
  priorSample?: Int32Array
  /**
   * Per unlabeled row, the post's human or imported label where it has one outside the labeled
   * subset, else −1: read only to report how accurate a teacher's labels were, never trained on.
   */
  unlabeledKnown?: Int32Array
}

/** Which variant a batch row reads. */
export type ViewKind = 'clean' | 'weak' | 'strong0' | 'strong1'

/** A batch part: rows of one post set, all read in one view. */
export interface BatchPart {
  rows: Int32Array
  view: ViewKind
}

/** Feature dropout of strong views: `fallback` where no strong variant is cached, `strong` on every strong view. */
export interface ViewDropout {
  fallback: number
  strong: number
}

/**
 * The features of one modality for a batch part. Augmented variants are drawn per row and per
 * view independently (SCRD samples its two strong views independently too); a weak view is the
 * clean features or one of the weak variants (labeled rows see both). Without any strong variant,
 * a strong view is a weak one with inverted dropout at rate `dropout.fallback`; every strong view
 * then gets inverted dropout at rate `dropout.strong`, sampled per row and step.
 */
export function viewRows(views: ModalityViews, part: BatchPart, rng: Rng, dropout: ViewDropout): Float32Array {
  const dim = views.clean.dim
  const n = part.rows.length
  const out = new Float32Array(n * dim)
  const strong = part.view === 'strong0' || part.view === 'strong1'
  const weak = views.weak.length > 0 ? [views.clean, ...views.weak] : []
  const variants = part.view === 'clean' ? [] : strong && views.strong.length > 0 ? views.strong : weak
  const sources = variants.length === 0 ? [views.clean] : variants
  // Which source each row reads, drawn in row order (the same draws wherever the rows live).
  const source = Int32Array.from(part.rows, () => (sources.length === 1 ? 0 : rng.int(sources.length)))
  if (sources.every(inMemory)) {
    for (let i = 0; i < n; i++) {
      const m = sources[source[i]!]!
      const row = part.rows[i]!
      out.set(m.data.subarray(row * dim, (row + 1) * dim), i * dim)
    }
  } else {
    sources.forEach((m, k) => {
      const at = Array.from(source.keys()).filter((i) => source[i] === k)
      if (at.length === 0) return
      const rows = readRows(m, Int32Array.from(at, (i) => part.rows[i]!))
      at.forEach((i, j) => out.set(rows.subarray(j * dim, (j + 1) * dim), i * dim))
    })
  }
  const drop = (rate: number): void => {
    for (let k = 0; k < out.length; k++) out[k] = rng.next() < rate ? 0 : out[k]! / (1 - rate)
  }
  if (strong && views.strong.length === 0 && dropout.fallback > 0) drop(dropout.fallback)
  if (strong && dropout.strong > 0) drop(dropout.strong)
  return out
}

/** n indices drawn uniformly with replacement, as SCRD's RandomSampler(replacement=True). */
export function drawRows(n: number, size: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(size))
}

/** Rows of several parts, each from its post set, stacked in order: one matrix for one forward pass. */
export function stackBatch(groups: { posts: TrainPosts; parts: BatchPart[] }[], modality: 'img' | 'txt', rng: Rng, dropout: ViewDropout): Float32Array {
  const chunks = groups.flatMap(({ posts, parts }) => parts.map((p) => viewRows(posts[modality], p, rng, dropout)))
  const out = new Float32Array(chunks.reduce((a, c) => a + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** Problems that stop a run before it starts, each naming its field; `classes` bounds the labels. */
export function dataProblems(data: TrainingData, needs: { unlabeled: boolean; val: boolean; test: boolean }, classes: number): string[] {
  const problems: string[] = []
  const dims = { img: data.labeled.img.clean.dim, txt: data.labeled.txt.clean.dim }
  const matrix = (field: string, m: ViewRows, rows: number, modality: 'img' | 'txt'): void => {
    if (m.rows !== rows) problems.push(`${field} has ${m.rows} rows, expected ${rows}`)
    else if (m.dim !== dims[modality]) problems.push(`${field} has dimension ${m.dim}, expected ${dims[modality]}`)
    else if (inMemory(m) && m.data.length !== m.rows * m.dim) problems.push(`${field} holds ${m.data.length} values, expected ${m.rows * m.dim}`)
  }
  const posts = (field: string, p: TrainPosts): void => {
    for (const modality of ['img', 'txt'] as const) {
      const views = p[modality]
      matrix(`${field}.${modality}.clean`, views.clean, p.ids.length, modality)
      views.weak.forEach((m, i) => matrix(`${field}.${modality}.weak[${i}]`, m, p.ids.length, modality))
      views.strong.forEach((m, i) => matrix(`${field}.${modality}.strong[${i}]`, m, p.ids.length, modality))
    }
  }
  const labels = (field: string, y: ArrayLike<number>, rows: number): void => {
    if (y.length !== rows) problems.push(`${field} has ${y.length} labels for ${rows} posts`)
    else if (!Array.from(y).every((c) => Number.isInteger(c) && c >= 0 && c < classes)) problems.push(`${field} must hold class indices 0–${classes - 1}`)
  }
  if (data.labeled.ids.length === 0) problems.push('data.labeled has no posts')
  posts('data.labeled', data.labeled)
  labels('data.labeled.y', data.labeled.y, data.labeled.ids.length)
  if (needs.unlabeled) {
    if (data.unlabeled.ids.length === 0) problems.push('data.unlabeled has no posts')
    posts('data.unlabeled', data.unlabeled)
  }
  for (const split of ['val', 'test'] as const) {
    const set = data[split]
    if (!set) {
      if (needs[split]) problems.push(`data.${split} is needed by modelSelection '${split}'`)
      continue
    }
    matrix(`data.${split}.img`, set.img, set.ids.length, 'img')
    matrix(`data.${split}.txt`, set.txt, set.ids.length, 'txt')
    labels(`data.${split}.y`, set.y, set.ids.length)
  }
  return problems
}
