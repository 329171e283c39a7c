// What a run trains on, read from the store: the project's posts by split, the labeled subset
// (a seeded stratified draw from the posts' human/imported labels, or the project's current labels)
// and the cached features of an encoder pair in every view the cache holds. Pure reads: the caller
// decides what to do with the problems (a plan shows them, a start refuses).
import type { Database } from 'better-sqlite3'
import type { EncoderPairInfo } from '#shared/features'
import type { LabelsUsed, NotCounted } from '#shared/runs'
import { CONFUSION_ORDER, type AnnotationSource, type Sentiment, type Split } from '#shared/vocabulary'
import { FeaturesRepo } from '#main/db/features-repo'
import { applyScaler, fitScaler, type Scaler } from '#main/features/probe/standardize'
import { builtInPairInfo } from '#main/features/built-in-pairs'
import { extractAdvice } from '#main/features/extract-advice'
import { sample, seededRandom } from '#main/core/random'
import { cachedModality, CLEAN_VIEWS_FACTOR, POOL_MEMORY_BYTES } from './cached-pool'
import { labelsNotCounted } from './labels-not-counted'
import { missingRegionsProblem, regionsOf, withRegions } from './region-columns'
import { drawLabeledSubset, type LabeledSubset, type SubsetMode } from './labeled-subset'
import type { EvalPosts, Matrix, ModalityViews, TrainingData, TrainPosts } from './data'
import { pickView, wholeView, type ViewRows } from './view-rows'

export type LabelRequest = { mode: 'draw'; n: number; draw: SubsetMode; seed: number } | { mode: 'current' }

export interface LoadRequest {
  projectId: number
  /** A described pair, or a pair id; only built-in pairs can be resolved without loading the encoders. */
  encoder: string | EncoderPairInfo
  labels: LabelRequest
  /** Standardise every feature column with the train pool's statistics (default true). */
  standardize?: boolean
  /** Labeled train posts outside the subset, drawn at random, whose labels estimate the class prior (config prior.sample; default 0). */
  priorSample?: number
  /**
   * Where the train pool's views live: 'memory' (default) reads them whole; 'cache' leaves them in
   * the feature cache, read a batch's rows at a time through `db` (which must stay open while the
   * data is used); 'clean' reads the clean views whole and leaves the augmented ones in the cache;
   * 'auto' picks 'clean' for a pool whose views exceed POOL_MEMORY_BYTES, and 'cache' for one whose
   * clean views alone exceed CLEAN_VIEWS_FACTOR times that.
   */
  pool?: 'memory' | 'cache' | 'clean' | 'auto'
  /** The bound 'auto' uses (default POOL_MEMORY_BYTES). */
  poolMemoryBytes?: number
  /** Text-guided fusion: the side of the image region grid to append to the image features (region-columns.ts). */
  regions?: number
}

export interface LoadedTrainingData<V extends ViewRows = ViewRows> {
  data: TrainingData<V>
  subset: LabeledSubset
  labelsUsed: LabelsUsed
  /** Anything that stops a run: too few labels, missing features (with what to run), an unknown pair. */
  problems: string[]
  /** Posts the run needs (train, val, test) without every vector it reads. */
  featuresMissing: number
  /**
   * Per-column standardisation fitted on the clean features of the train pool and applied to every
   * view and split of `data`: a model trained on it needs the same on new posts.
   */
  scalers: { txt: Scaler; img: Scaler } | null
}

/** Class index per label, in the trainer's order (0 negative, 1 neutral, 2 positive). */
const CLASS_INDEX = new Map<Sentiment, number>(CONFUSION_ORDER.map((s, i) => [s, i]))
/** Sources whose labels a draw may pick: what people said, never what a model proposed. */
const DRAWABLE: readonly AnnotationSource[] = ['human', 'imported']
/** The project's own labels ('current' mode), as the runs contract defines them. */
const CURRENT: readonly AnnotationSource[] = ['human', 'correction', 'pseudo-accepted']

interface PostRow {
  id: number
  split: Split
  conflict: number
  label: Sentiment | null
  source: AnnotationSource | null
}

/** Every post of the project with its current overall label and the source of that label. */
function readPosts(db: Database, projectId: number): PostRow[] {
  return db
    .prepare<[number], PostRow>(
      `SELECT p.id, p.split, p.conflict, p.label_overall AS label,
        (SELECT a.source FROM annotations a WHERE a.post_id = p.id AND a.modality = 'overall' ORDER BY a.id DESC LIMIT 1) AS source
      FROM posts p WHERE p.project_id = ? ORDER BY p.id`,
    )
    .all(projectId)
}

/** A built-in pair's encoder ids and sizes, without loading a model; an ONNX pair must be described first. */
export function resolvePair(encoder: string | EncoderPairInfo): EncoderPairInfo {
  if (typeof encoder !== 'string') return encoder
  const info = builtInPairInfo(encoder)
  if (!info) throw new Error(`encoder pair "${encoder}" must be described (FeatureTasks.describe) before its features can be read`)
  return info
}

interface Selection {
  /** Posts a run trains on (split train; 'unassigned' posts too: they are in no evaluation split). */
  pool: PostRow[]
  val: PostRow[]
  test: PostRow[]
  subset: LabeledSubset
  labels: Map<number, PostRow>
  /** Class indices of the random sample that estimates the prior (empty without one). */
  priorSample: number[]
  problems: string[]
}

/**
 * Up to `n` human/imported labels of train posts outside the subset, drawn at random (seeded): their
 * class mix estimates that of the posts outside the subset, the unlabeled posts'. It stands for the
 * pool's prior too, which it is only for a proportional draw: after a per-class draw the rest holds a
 * rare class more rarely than the pool, and the pool's own mix, tried for predictions, cost every
 * method test accuracy (docs/RESULTS.md, issue 11, "the pool's own mix"). Without any (none asked
 * for, or none left), a proportional draw is itself a random sample of the pool: its own labels estimate the prior
 * at no extra cost (an estimate from predictions would only add noise: on MVSA it put neutral at 54 %).
 */
function drawPriorSample(candidates: PostRow[], subset: LabeledSubset, request: LabelRequest, n: number): number[] {
  const proportional = request.mode === 'draw' && request.draw === 'proportional'
  const byId = new Map(candidates.map((p) => [p.id, p]))
  const labelsOf = (ids: readonly number[]): number[] => ids.map((id) => CLASS_INDEX.get(byId.get(id)!.label!)!)
  if (n <= 0) return proportional ? labelsOf(subset.ids) : []
  const inSubset = new Set(subset.ids)
  const outside = candidates.filter((p) => !inSubset.has(p.id)).map((p) => p.id)
  const seed = request.mode === 'draw' ? request.seed : 0
  const ids = outside.length > 0 ? sample(outside, Math.min(n, outside.length), seededRandom(seed + 7919)) : proportional ? subset.ids : []
  return labelsOf(ids)
}

function select(posts: PostRow[], request: LabelRequest, priorSample = 0): Selection {
  const usable = posts.filter((p) => !p.conflict && p.split !== 'conflict')
  const pool = usable.filter((p) => p.split === 'train' || p.split === 'unassigned')
  // Evaluation grades against what people said: a label a model proposed and someone accepted is not gold.
  const graded = (split: Split) => usable.filter((p) => p.split === split && p.label !== null && p.source !== 'pseudo-accepted')
  const problems: string[] = []
  let subset: LabeledSubset
  const candidates = pool.filter((p) => p.label !== null && p.source !== null && DRAWABLE.includes(p.source))
  if (request.mode === 'draw') {
    subset = drawLabeledSubset(
      candidates.map((p) => ({ id: p.id, label: CLASS_INDEX.get(p.label!)! })),
      request.n,
      request.draw,
      request.seed,
      CLASS_INDEX.size,
    )
    const drawn = subset.ids.length
    if (drawn < request.n) problems.push(`labels.n: asked for ${request.n} labels, but the train posts hold only ${drawn} human or imported labels that fit the draw (${request.draw})`)
  } else {
    const own = pool.filter((p) => p.label !== null && p.source !== null && CURRENT.includes(p.source))
    const perClass = CONFUSION_ORDER.map((s) => own.filter((p) => p.label === s).length)
    subset = { ids: own.map((p) => p.id), perClass }
  }
  if (subset.ids.length === 0) problems.push('labels: no labeled train posts to learn from: label some train posts first')
  const byId = new Map(posts.map((p) => [p.id, p]))
  const labels = new Map(subset.ids.map((id) => [id, byId.get(id)!]))
  return { pool, val: graded('val'), test: graded('test'), subset, labels, priorSample: drawPriorSample(candidates, subset, request, priorSample), problems }
}

function labelsOf(subset: LabeledSubset, labels: Map<number, PostRow>): LabelsUsed {
  const used: LabelsUsed = { total: subset.ids.length, human: 0, imported: 0, pseudoAccepted: 0, correction: 0, perClass: { positive: 0, neutral: 0, negative: 0 } }
  for (const post of labels.values()) {
    if (post.source === 'pseudo-accepted') used.pseudoAccepted++
    else if (post.source) used[post.source]++
    used.perClass[post.label!]++
  }
  return used
}

/** Per post, its human or imported label's class index when it is outside the subset, else −1 (a teacher's accuracy is logged on them). */
function knownOutside(ids: readonly number[], subset: Set<number>, byId: Map<number, PostRow>): Int32Array {
  return Int32Array.from(ids, (id) => {
    const post = byId.get(id)
    return post && !subset.has(id) && post.label !== null && post.source !== null && DRAWABLE.includes(post.source) ? CLASS_INDEX.get(post.label)! : -1
  })
}

/** Rows of `ids` from a vector map, in order; ids without a vector are counted in `missing`. */
function gather(vectors: Map<number, Float32Array>, ids: readonly number[], dim: number, missing: Set<number>): Matrix {
  const data = new Float32Array(ids.length * dim)
  ids.forEach((id, i) => {
    const v = vectors.get(id)
    if (v) data.set(v, i * dim)
    else missing.add(id)
  })
  return { rows: ids.length, dim, data }
}

/** The augmented views ('weak:k', 'strong:k') the cache holds for an encoder, in k order. */
function augmentedViews(repo: FeaturesRepo, projectId: number, encoder: string, kind: 'weak' | 'strong'): string[] {
  return repo
    .counts(projectId)
    .filter((c) => c.encoder === encoder && c.view.startsWith(`${kind}:`))
    .map((c) => c.view)
    .sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1]))
}

/** One modality of the train pool and the evaluation splits, every view the cache holds. */
function readModality(repo: FeaturesRepo, projectId: number, encoder: string, dim: number, hasWeak: boolean, ids: { pool: number[]; val: number[]; test: number[] }, missing: Set<number>) {
  const clean = repo.readAll(projectId, encoder, 'clean', dim)
  // Augmented views are needed for the train pool only; evaluation reads clean features.
  const variants = (kind: 'weak' | 'strong'): Matrix[] =>
    augmentedViews(repo, projectId, encoder, kind).map((view) => gather(repo.readAll(projectId, encoder, view, dim), ids.pool, dim, missing))
  const views: ModalityViews<Matrix> = { clean: gather(clean, ids.pool, dim, missing), weak: hasWeak ? variants('weak') : [], strong: variants('strong') }
  return { views, val: gather(clean, ids.val, dim, missing), test: gather(clean, ids.test, dim, missing) }
}

/**
 * Fits a scaler on the pool's clean rows and applies it to every matrix of the modality, in place.
 * SGD on raw features stalls: MobileNet activations reach ~10 while hashed n-gram columns are ~0.05.
 */
function standardize(m: { views: ModalityViews<Matrix>; val: Matrix; test: Matrix }): Scaler {
  const scaler = fitScaler(m.views.clean.data, m.views.clean.rows, m.views.clean.dim)
  for (const x of [m.views.clean, ...m.views.weak, ...m.views.strong, m.val, m.test]) applyScaler(scaler, x.data, x.rows, x.dim)
  return scaler
}

/** Rows of `posts` restricted to `keep`, every matrix sliced alike. */
function keepRows<T extends { ids: number[] }>(set: T, keep: (id: number) => boolean, slice: (rows: number[]) => T): T {
  const rows = set.ids.flatMap((id, i) => (keep(id) ? [i] : []))
  return rows.length === set.ids.length ? set : slice(rows)
}

const pick = (m: Matrix, rows: number[]): Matrix => wholeView(m, rows)
/** Views restricted to `rows`: views in memory are copied, views in the cache stay there. */
const pickViews = <V extends ViewRows, W extends ViewRows>(v: ModalityViews<V>, rows: number[], one: (m: V, rows: number[]) => W): ModalityViews<W> => ({ clean: one(v.clean, rows), weak: v.weak.map((m) => one(m, rows)), strong: v.strong.map((m) => one(m, rows)) })
const pickTrain = (p: TrainPosts, rows: number[]): TrainPosts => ({ ids: rows.map((r) => p.ids[r]!), img: pickViews(p.img, rows, pickView), txt: pickViews(p.txt, rows, pickView) })
/** The labeled posts' rows, read into memory wherever the pool lives: a few hundred posts. */
const pickLabeled = (p: TrainPosts, rows: number[]): TrainPosts<Matrix> => ({ ids: rows.map((r) => p.ids[r]!), img: pickViews(p.img, rows, wholeView), txt: pickViews(p.txt, rows, wholeView) })
const pickEval = (p: EvalPosts, rows: number[]): EvalPosts => ({ ids: rows.map((r) => p.ids[r]!), img: pick(p.img, rows), txt: pick(p.txt, rows), y: rows.map((r) => p.y[r]!) })

export interface TrainingPlan {
  subset: LabeledSubset
  /** Class indices of the random labeled sample that would estimate the prior. */
  priorSample: number[]
  labelsUsed: LabelsUsed
  notCounted: NotCounted
  problems: string[]
  featuresMissing: number
}

function missingProblem(db: Database, projectId: number, missing: number, needed: number, pair: string): string {
  return `features: ${missing} of the ${needed} posts a run reads have no ${pair} vectors in every view: extract them first (${extractAdvice(db, projectId, pair)})`
}

/** What loadTrainingData would say, without reading a vector: for a launch dialog's plan. */
export function planTrainingData(db: Database, request: LoadRequest): TrainingPlan {
  const posts = readPosts(db, request.projectId)
  const { pool, val, test, subset, labels, priorSample, problems } = select(posts, request.labels, request.priorSample)
  const labelsUsed = labelsOf(subset, labels)
  const notCounted = labelsNotCounted(posts, request.labels.mode)
  let pair: EncoderPairInfo
  try {
    pair = resolvePair(request.encoder)
  } catch (err) {
    return { subset, priorSample, labelsUsed, notCounted, problems: [...problems, `encoder: ${(err as Error).message}`], featuresMissing: 0 }
  }
  const repo = new FeaturesRepo(db)
  const evaluated = new Set([...val, ...test].map((p) => p.id))
  const trained = new Set(pool.map((p) => p.id))
  const missing = new Set<number>()
  for (const [encoder, weak] of [[pair.image.id, true], [pair.text.id, false]] as const) {
    for (const id of repo.missing(request.projectId, encoder, 'clean')) if (trained.has(id) || evaluated.has(id)) missing.add(id)
    const views = [...(weak ? augmentedViews(repo, request.projectId, encoder, 'weak') : []), ...augmentedViews(repo, request.projectId, encoder, 'strong')]
    for (const view of views) for (const id of repo.missing(request.projectId, encoder, view)) if (trained.has(id)) missing.add(id)
  }
  if (missing.size > 0) problems.push(missingProblem(db, request.projectId, missing.size, trained.size + evaluated.size, pair.id))
  if (request.regions !== undefined) {
    const regions = regionsOf(pair, request.regions)
    const problem = 'problem' in regions ? regions.problem : missingRegionsProblem(db, request.projectId, regions.info, pair.id, new Set([...trained, ...evaluated]))
    if (problem) problems.push(problem)
  }
  return { subset, priorSample, labelsUsed, notCounted, problems, featuresMissing: missing.size }
}

/** Bytes the pool's views would take in memory (float32, every view the cache holds, both modalities). */
export function poolViewBytes(repo: FeaturesRepo, projectId: number, pair: EncoderPairInfo, posts: number): number {
  const views = (encoder: string, weak: boolean): number => 1 + (weak ? augmentedViews(repo, projectId, encoder, 'weak').length : 0) + augmentedViews(repo, projectId, encoder, 'strong').length
  return posts * 4 * (pair.image.dim * views(pair.image.id, true) + pair.text.dim * views(pair.text.id, false))
}

/** Where 'auto' puts a pool of `posts` train posts of `pair`: whole in memory, its clean views only, or all in the cache. */
export function poolPlacement(repo: FeaturesRepo, projectId: number, pair: EncoderPairInfo, posts: number, bound = POOL_MEMORY_BYTES): 'memory' | 'clean' | 'cache' {
  if (poolViewBytes(repo, projectId, pair, posts) <= bound) return 'memory'
  return posts * 4 * (pair.text.dim + pair.image.dim) <= CLEAN_VIEWS_FACTOR * bound ? 'clean' : 'cache'
}

/**
 * Labels and features of a run. Posts without every vector are left out of the data and counted in
 * `featuresMissing`, with a problem that says to run `extract`; the data is consistent either way.
 * The pool's views are matrices unless `request.pool` leaves them in the cache (see LoadRequest).
 */
export function loadTrainingData(db: Database, request: LoadRequest & { pool?: 'memory' }): LoadedTrainingData<Matrix>
export function loadTrainingData(db: Database, request: LoadRequest): LoadedTrainingData
export function loadTrainingData(db: Database, request: LoadRequest): LoadedTrainingData {
  const posts = readPosts(db, request.projectId)
  const { pool, val, test, subset, labels, priorSample, problems } = select(posts, request.labels, request.priorSample)
  const used = labelsOf(subset, labels)
  const empty: Matrix = { rows: 0, dim: 0, data: new Float32Array(0) }
  const noViews: ModalityViews<Matrix> = { clean: empty, weak: [], strong: [] }
  let pair: EncoderPairInfo
  try {
    pair = resolvePair(request.encoder)
  } catch (err) {
    const none: TrainPosts<Matrix> = { ids: [], img: noViews, txt: noViews }
    return { data: { labeled: { ...none, y: [] }, unlabeled: none }, subset, labelsUsed: used, problems: [...problems, `encoder: ${(err as Error).message}`], featuresMissing: 0, scalers: null }
  }

  const repo = new FeaturesRepo(db)
  const ids = { pool: pool.map((p) => p.id), val: val.map((p) => p.id), test: test.map((p) => p.id) }
  const missing = new Set<number>()
  const standardized = request.standardize !== false
  // Text-guided fusion appends region rows to the image matrices: its pool is read into memory.
  const asked = request.pool ?? 'memory'
  const where = request.regions !== undefined ? 'memory' : asked === 'auto' ? poolPlacement(repo, request.projectId, pair, ids.pool.length, request.poolMemoryBytes) : asked
  const inCache = where !== 'memory'
  let img: { views: ModalityViews; val: Matrix; test: Matrix }
  let txt: typeof img
  let scalers: LoadedTrainingData['scalers']
  let layout: TrainingData['regions']
  if (inCache) {
    const views = (encoder: string, weak: boolean) => ({ weak: weak ? augmentedViews(repo, request.projectId, encoder, 'weak') : [], strong: augmentedViews(repo, request.projectId, encoder, 'strong') })
    const cleanInMemory = where === 'clean'
    const cachedImg = cachedModality(repo, request.projectId, pair.image.id, pair.image.dim, views(pair.image.id, true), ids, missing, standardized, cleanInMemory)
    // A text's weak view is its clean text (features/views.ts): no 'weak:k' rows exist for text.
    const cachedTxt = cachedModality(repo, request.projectId, pair.text.id, pair.text.dim, views(pair.text.id, false), ids, missing, standardized, cleanInMemory)
    img = cachedImg
    txt = cachedTxt
    scalers = cachedTxt.scaler && cachedImg.scaler ? { txt: cachedTxt.scaler, img: cachedImg.scaler } : null
  } else {
    let memoryImg = readModality(repo, request.projectId, pair.image.id, pair.image.dim, true, ids, missing)
    if (request.regions !== undefined) {
      const regions = regionsOf(pair, request.regions)
      if ('problem' in regions) problems.push(regions.problem)
      else {
        const problem = missingRegionsProblem(db, request.projectId, regions.info, pair.id, new Set([...ids.pool, ...ids.val, ...ids.test]))
        if (problem) problems.push(problem)
        // Posts without regions stop the run (the problem above); they are not counted as missing pair vectors.
        ;({ img: memoryImg, layout } = withRegions(db, request.projectId, regions.info, memoryImg, ids, new Set()))
      }
    }
    // A text's weak view is its clean text (features/views.ts): no 'weak:k' rows exist for text.
    const memoryTxt = readModality(repo, request.projectId, pair.text.id, pair.text.dim, false, ids, missing)
    img = memoryImg
    txt = memoryTxt
    scalers = standardized ? { txt: standardize(memoryTxt), img: standardize(memoryImg) } : null
  }
  const unlabeledAll: TrainPosts = { ids: ids.pool, img: img.views, txt: txt.views }

  const have = (id: number): boolean => !missing.has(id)
  // SCRD's include_lb_to_ulb (ALGORITHMS §1.8): the unlabeled set is the whole train pool, labeled posts included.
  const unlabeled = keepRows(unlabeledAll, have, (rows) => pickTrain(unlabeledAll, rows))
  const poolRow = new Map(ids.pool.map((id, i) => [id, i]))
  const labeledRows = subset.ids.filter(have).map((id) => poolRow.get(id)!)
  const labeledPosts = pickLabeled(unlabeledAll, labeledRows)
  const byId = new Map(posts.map((p) => [p.id, p]))
  const evaluation = (split: 'val' | 'test', list: number[]): EvalPosts | undefined => {
    if (list.length === 0) return undefined
    const full: EvalPosts = { ids: list, img: img[split], txt: txt[split], y: list.map((id) => CLASS_INDEX.get(byId.get(id)!.label!)!) }
    return keepRows(full, have, (rows) => pickEval(full, rows))
  }
  const data: TrainingData = {
    ...(layout ? { regions: layout } : {}),
    labeled: { ...labeledPosts, y: Int32Array.from(labeledPosts.ids, (id) => CLASS_INDEX.get(byId.get(id)!.label!)!) },
    unlabeled,
    val: evaluation('val', ids.val),
    test: evaluation('test', ids.test),
    priorSample: Int32Array.from(priorSample),
    unlabeledKnown: knownOutside(unlabeled.ids, new Set(subset.ids), byId),
  }
  if (missing.size > 0) {
    problems.push(missingProblem(db, request.projectId, missing.size, ids.pool.length + ids.val.length + ids.test.length, pair.id))
  }
  return { data, subset, labelsUsed: used, problems, featuresMissing: missing.size, scalers }
}
