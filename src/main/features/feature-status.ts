import type { EncoderPairInfo, FeatureStatus } from '#shared/features'
import type { FeaturesRepo } from '#main/db/features-repo'
import { expectedRows } from './extraction/plan'

/** Done and missing vectors per (encoder, view) of a pair with K views, for one project. */
export function featureStatus(repo: FeaturesRepo, projectId: number, posts: number, pair: EncoderPairInfo, views: number): Omit<FeatureStatus, 'job'> {
  const counts = new Map(repo.counts(projectId).map((c) => [`${c.encoder}\u0000${c.view}`, c.count]))
  const expected = expectedRows({ image: pair.image.id, text: pair.text.id }, views)
  return {
    projectId,
    pair,
    views,
    posts,
    complete: repo.complete(projectId, expected),
    rows: expected.map((row) => {
      const done = counts.get(`${row.encoder}\u0000${row.view}`) ?? 0
      return { ...row, done, missing: posts - done }
    }),
  }
}
