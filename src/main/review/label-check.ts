// One label check, computed from the store alone (so it can run in a thread on its own connection):
// every post of the project with an overall label (not in conflict) and the pair's cached clean
// features gets out-of-fold probabilities from a regularised logistic regression on both
// modalities' standardised features, rescaled per class (vector scaling, oof-calibration.ts);
// confident learning (label-errors.ts) lists the likely errors.
// Reads only: the caller stores the result (LabelChecksRepo.finish) in one transaction.
import type { Database } from 'better-sqlite3'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { FeaturesRepo } from '#main/db/features-repo'
import type { NewCheckItem } from '#main/db/label-checks-repo'
import { extractAdvice } from '#main/features/extract-advice'
import { applyScaler, fitScaler } from '#main/features/probe/standardize'
import { resolvePair } from '#main/training/load-data'
import { findLabelIssues, LABEL_CHECK_DEFAULTS, outOfFoldProbabilities } from './label-errors'
import { vectorScale } from './oof-calibration'

export interface LabelCheckInput {
  projectId: number
  encoder: string
  folds?: number
  c?: number
  maxIterations?: number
  seed?: number
}

export interface LabelCheckResult {
  /** Labeled posts that got out-of-fold probabilities. */
  checked: number
  /** Labeled posts left out for want of features. */
  withoutFeatures: number
  items: NewCheckItem[]
}

export type LabelCheckProgressFn = (phase: string, done: number, total: number) => void

interface LabeledPost {
  id: number
  label: Sentiment
  annotationId: number | null
}

/** The overall label each post carries now, with the history row that set it. */
function labeledPosts(db: Database, projectId: number): LabeledPost[] {
  return db
    .prepare<[number], LabeledPost>(`SELECT p.id, p.label_overall AS label,
        (SELECT max(a.id) FROM annotations a WHERE a.post_id = p.id AND a.modality = 'overall') AS annotationId
      FROM posts p WHERE p.project_id = ? AND p.label_overall IS NOT NULL AND p.conflict = 0 ORDER BY p.id`)
    .all(projectId)
}

export function computeLabelCheck(db: Database, input: LabelCheckInput, progress: LabelCheckProgressFn = () => undefined): LabelCheckResult {
  const settings = { ...LABEL_CHECK_DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) }
  const pair = resolvePair(input.encoder)
  progress('reading features', 0, 1)
  const repo = new FeaturesRepo(db)
  const text = repo.readAll(input.projectId, pair.text.id, 'clean', pair.text.dim)
  const image = repo.readAll(input.projectId, pair.image.id, 'clean', pair.image.dim)
  const all = labeledPosts(db, input.projectId)
  const posts = all.filter((p) => text.has(p.id) && image.has(p.id))
  const classes = CONFUSION_ORDER.length
  if (posts.length < settings.folds * classes) {
    throw new Error(
      `${posts.length} labeled posts have ${pair.id} features; a label check needs at least ${settings.folds * classes}` +
        (all.length > posts.length ? `: extract the features of the other ${all.length - posts.length} first (${extractAdvice(db, input.projectId, pair.id)})` : ''),
    )
  }
  const dim = pair.text.dim + pair.image.dim
  const x = new Float32Array(posts.length * dim)
  posts.forEach((p, i) => {
    x.set(text.get(p.id)!, i * dim)
    x.set(image.get(p.id)!, i * dim + pair.text.dim)
  })
  applyScaler(fitScaler(x, posts.length, dim), x, posts.length, dim)
  const y = Uint8Array.from(posts, (p) => CONFUSION_ORDER.indexOf(p.label as (typeof CONFUSION_ORDER)[number]))
  progress('fitting folds', 0, settings.folds * settings.splits)
  const outOfFold = outOfFoldProbabilities({ x, rows: posts.length, dim, y }, { ...settings, classes, onFold: (done, total) => progress('fitting folds', done, total) })
  const probs = settings.calibrate === 'vector' ? vectorScale(outOfFold, y, classes).probs : outOfFold
  const issues = findLabelIssues(probs, y, classes, settings)
  const items = issues.map((issue, rank): NewCheckItem => {
    const post = posts[issue.row]!
    const p = (k: number): number => probs[issue.row * classes + k]!
    return {
      postId: post.id,
      rank: rank + 1,
      given: post.label,
      givenAnnotationId: post.annotationId,
      suggested: CONFUSION_ORDER[issue.suggested]!,
      probabilities: { negative: p(0), neutral: p(1), positive: p(2) },
      margin: issue.margin,
    }
  })
  return { checked: posts.length, withoutFeatures: all.length - posts.length, items }
}
