// The linear probe of an encoder pair on a project: clean vectors of labeled train/val/test posts,
// probed for the text, the image and both concatenated. Every row uses the same posts (those with
// both vectors), so the three are comparable.
import type { Database } from 'better-sqlite3'
import { FEATURE_SETS, type EncoderPairInfo, type FeatureSet, type ProbeReport, type ProbeRow } from '#shared/features'
import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'
import type { ClassificationReport } from '#shared/runs'
import { FeaturesRepo } from '#main/db/features-repo'
import { majorityBaseline } from '#main/ml/baseline'
import { fitProbe, type Rows } from './fit-probe'

type ProbeSplit = 'train' | 'val' | 'test'

interface Example {
  text: Float32Array
  image: Float32Array
  label: number
}

const classIndex = new Map<Sentiment, number>(SENTIMENTS.map((s, i) => [s, i]))

function rowsOf(examples: readonly Example[], features: FeatureSet, dim: number): Rows {
  const x = new Float32Array(examples.length * dim)
  examples.forEach((e, i) => {
    if (features !== 'image') x.set(e.text, i * dim)
    if (features !== 'text') x.set(e.image, i * dim + (features === 'both' ? e.text.length : 0))
  })
  return { x, rows: examples.length, y: Uint8Array.from(examples, (e) => e.label) }
}

const scores = (r: ClassificationReport) => ({ accuracy: r.accuracy, weightedF1: r.weightedF1, macroF1: r.macroF1 })

export function runProbe(db: Database, projectId: number, pair: EncoderPairInfo): ProbeReport {
  const started = performance.now()
  const repo = new FeaturesRepo(db)
  const text = repo.readAll(projectId, pair.text.id, 'clean', pair.text.dim)
  const image = repo.readAll(projectId, pair.image.id, 'clean', pair.image.dim)
  const leftOut = { conflict: 0, unassigned: 0, unlabeled: 0, missingFeatures: 0 }
  const bySplit: Record<ProbeSplit, Example[]> = { train: [], val: [], test: [] }
  for (const post of repo.labels(projectId)) {
    if (post.split === 'conflict' || post.split === 'unassigned') leftOut[post.split]++
    else if (post.label === null) leftOut.unlabeled++
    else {
      const t = text.get(post.id)
      const i = image.get(post.id)
      if (!t || !i) leftOut.missingFeatures++
      else bySplit[post.split].push({ text: t, image: i, label: classIndex.get(post.label)! })
    }
  }
  if (bySplit.train.length === 0) throw new Error('no labeled train posts with features: extract features first, or label some train posts')
  if (bySplit.test.length === 0) throw new Error('no labeled test posts with features: the probe scores on the test split')

  const dims: Record<FeatureSet, number> = { text: pair.text.dim, image: pair.image.dim, both: pair.text.dim + pair.image.dim }
  const rows: ProbeRow[] = FEATURE_SETS.map((features) => {
    const rowStarted = performance.now()
    const dim = dims[features]
    const fit = fitProbe({
      dim,
      classes: SENTIMENTS,
      train: rowsOf(bySplit.train, features, dim),
      val: rowsOf(bySplit.val, features, dim),
      test: rowsOf(bySplit.test, features, dim),
    })
    return {
      features,
      dim,
      c: fit.c,
      val: fit.val && scores(fit.val),
      test: { ...scores(fit.test), confusion: fit.test.confusion },
      durationMs: Math.round(performance.now() - rowStarted),
    }
  })
  const perClass = (examples: readonly Example[]) => SENTIMENTS.map((_, c) => examples.filter((e) => e.label === c).length)
  const majority = majorityBaseline(perClass(bySplit.test), perClass(bySplit.train), SENTIMENTS)
  return {
    projectId,
    pair,
    majority: majority && { label: majority.label, test: scores(majority.report) },
    classes: [...SENTIMENTS],
    counts: { train: bySplit.train.length, val: bySplit.val.length, test: bySplit.test.length },
    leftOut,
    rows,
    durationMs: Math.round(performance.now() - started),
  }
}
