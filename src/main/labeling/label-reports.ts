// The labeling reports a person reads beside the queue: progress toward the target, and agreement
// among people. Both read the store alone, so they are answered by the read thread in the app
// (app/handlers/reads.ts): at 100,000 posts progress took ~30 ms of the shell's loop.
import type { AgreementReport, LabelProgress } from '#shared/labeling'
import type { Modality, Sentiment } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import { agreement } from './agreement'

/** Coverage, counts and annotators of the project's labels, and its target. */
export const labelProgress = (store: Store, projectId: number): LabelProgress => ({
  projectId,
  total: store.stats.postCount(projectId),
  coverage: store.stats.coverage(projectId),
  target: store.projects.labelTarget(projectId),
  labels: store.stats.labelCounts(projectId),
  annotators: store.stats.annotatorLabels(projectId, 'labelers'),
})

/** The agreement view lists this many disagreements at most (and says how many there are). */
const DISAGREEMENTS_LISTED = 500

/**
 * Agreement among people (rows with source `human`, and with `imported` those of the imported
 * labels' annotators too): corrections settle disagreements and are left out. Where someone has
 * both kinds on a post, the label they gave in the app counts.
 */
export function agreementReport(store: Store, projectId: number, modality: Modality, imported = false): AgreementReport {
  const given = store.annotations.latestBySource(projectId, 'human', modality)
  const inApp = new Set(given.map((r) => `${r.annotator}\u0000${r.postId}`))
  const fromImports = imported ? store.annotations.latestBySource(projectId, 'imported', modality).filter((r) => !inApp.has(`${r.annotator}\u0000${r.postId}`)) : []
  const result = agreement([...given, ...fromImports])
  return {
    projectId,
    modality,
    annotators: result.annotators,
    pairs: result.pairs.map(({ a, b, posts, agreed, kappa }) => ({ a, b, posts, agreed, kappa: kappa.value, ...(kappa.reason ? { reason: kappa.reason } : {}) })),
    alpha: result.alpha.value,
    ...(result.alpha.reason ? { alphaReason: result.alpha.reason } : {}),
    units: result.alpha.units,
    disagreementCount: result.disagreements.length,
    disagreements: result.disagreements.slice(0, DISAGREEMENTS_LISTED).map(({ postId, labels }) => {
      const post = store.posts.get(projectId, postId)!
      const latest = store.annotations.latest(postId, modality)
      const resolved: Sentiment | null = latest?.source === 'correction' ? latest.label : null
      return { postId, externalId: post.externalId, text: post.text, labels, resolved }
    }),
  }
}
