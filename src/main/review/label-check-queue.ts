// A label check's list as the Review view pages it: each listed post with the evidence (the label
// it was given and who gave it, the suggested label, the out-of-fold probabilities), the post's
// current label (what an accept replaces) and the decision in effect.
import type { LabelCheckFilter, LabelCheckItem, LabelCheckPage } from '#shared/label-check'
import type { Store } from '#main/db/store'
import { notFound } from '#main/core/errors'

export function labelCheckQueue(store: Store, checkId: number, filter: LabelCheckFilter, offset: number, limit: number): LabelCheckPage {
  const check = store.labelChecks.summary(checkId)
  if (!check) throw notFound(`No label check with id ${checkId}`)
  const { total, rows } = store.labelChecks.page(checkId, filter, offset, limit)
  const items = rows.flatMap((row): LabelCheckItem[] => {
    const post = store.posts.get(check.projectId, row.postId)
    if (!post) return []
    const current = store.annotations.latest(row.postId, 'overall')
    return [
      {
        postId: row.postId,
        externalId: post.externalId,
        rank: row.rank,
        post,
        given: row.given,
        givenBy: row.givenAnnotationId !== null ? store.annotations.byId(row.givenAnnotationId) : null,
        suggested: row.suggested,
        probabilities: { negative: row.pNegative, neutral: row.pNeutral, positive: row.pPositive },
        current: current?.label != null ? current : null,
        decision: row.decisionKind
          ? { kind: row.decisionKind, annotator: row.decisionAnnotator!, ...(row.decisionLabel ? { label: row.decisionLabel } : {}) }
          : null,
      },
    ]
  })
  return { check, total, items }
}
