// Before an extraction plans what to encode: the vectors a post lacks that an identical post
// elsewhere in the store already has are copied, not computed, and are what encoding would give.
// An image encoder's clean vector depends on the image alone (the same hash: the same bytes), a
// text encoder's on the text; an augmented view is also seeded by the post's external id
// (features/views.ts), so it is copied only from a post with the same one. A text vector is copied
// only from a post with the same image as well: that covers what repeats in practice (a data set
// imported again, into another project or back from Label Studio) with the one index on the image
// hash. A region grid (text-guided fusion) is an image encoder's clean view like another. Each distinct image (and text, and id) is looked up once per view, however many posts share
// it: a picture shared by thousands of posts costs one search, not one per pair of them. A few
// hundred posts a transaction, a turn of the worker's loop after each: the write lock is held
// briefly, and a cancel is heard (and progress sent) between them.
import type { FeaturesRepo, PostContent } from '#main/db/features-repo'
import { EtaEstimator } from '#main/core/eta'
import { nextTurn } from '#main/core/loop-turns'
import type { WorkerProgress } from '../extraction-protocol'
import type { Modality } from '../views'

const POSTS_A_TRANSACTION = 500
/** Least time between two progress reports. */
const REPORT_EVERY_MS = 250

/** A cache row kind to fill: an encoder's view of one modality. */
export interface CopyKey {
  modality: Modality
  encoder: string
  view: string
}

/**
 * Copies what identical posts hold into the project's posts, for each of `keys`; returns the
 * vectors copied. `onProgress` hears the phase `copying`: the (post, key) pairs looked at so far,
 * of those missing, with the time left.
 */
export async function copyFromIdenticalPosts(
  repo: FeaturesRepo,
  projectId: number,
  keys: readonly CopyKey[],
  stopRequested: () => boolean,
  onProgress: (progress: WorkerProgress) => void,
): Promise<number> {
  const missingOf = keys.map(({ encoder, view }) => repo.missing(projectId, encoder, view))
  const total = missingOf.reduce((sum, ids) => sum + ids.length, 0)
  const eta = new EtaEstimator()
  let done = 0
  let copied = 0
  let reported = 0
  for (const [at, { modality, encoder, view }] of keys.entries()) {
    const same = { text: modality === 'text', externalId: view !== 'clean' }
    const donors = new Map<string, number | undefined>()
    const donorOf = (post: PostContent): number | undefined => {
      const key = JSON.stringify([post.imageHash, same.text ? post.text : null, same.externalId ? post.externalId : null])
      if (!donors.has(key)) donors.set(key, repo.donorOf(post, same, encoder, view))
      return donors.get(key)
    }
    const missing = missingOf[at]!
    for (let i = 0; i < missing.length; i += POSTS_A_TRANSACTION) {
      if (stopRequested()) return copied
      const posts = missing.slice(i, i + POSTS_A_TRANSACTION)
      const copies = repo.contentOf(posts).flatMap((post) => {
        const donor = donorOf(post)
        return donor === undefined ? [] : [{ postId: post.id, donor }]
      })
      if (copies.length > 0) copied += repo.copyRows(copies)
      done += posts.length
      if (done === total || performance.now() - reported >= REPORT_EVERY_MS) {
        onProgress({ phase: 'copying', done, total, postsPerSecond: null, etaMs: eta.update('copying', done, total) })
        reported = performance.now()
      }
      await nextTurn()
    }
  }
  return copied
}
