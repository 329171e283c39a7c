// A project ready to train on: posts in train/val/test with imported overall labels, and cached
// vectors of the default encoder pair in every view a run reads (clean, weak:0, strong:0 image;
// clean, strong:0 text), drawn so the classes are separable. No image files, no encoders run.
import { CONFUSION_ORDER, type Split } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import type { FeatureRow } from '#main/db/features-repo'
import { DEFAULT_IMAGE_DIM, DEFAULT_IMAGE_ID } from '#main/features/encoders/default/image-encoder'
import { builtInPairInfo, CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { seededRandom } from '#main/core/random'
import { seedProject } from './posts'

export interface TrainingProject {
  projectId: number
  postIds: number[]
}

/**
 * `posts` posts cycling train, train, train, val, test and the three classes; `features: false`
 * leaves the cache empty (a run must then say to extract first).
 */
export function trainingProject(store: Store, options: { posts?: number; features?: boolean; name?: string } = {}): TrainingProject {
  const count = options.posts ?? 75
  const splits: Split[] = ['train', 'train', 'train', 'val', 'test']
  const { projectId, postIds } = seedProject(store, Array.from({ length: count }, (_, i) => ({ split: splits[i % splits.length]! })), options.name ?? 'training')
  const classOf = (i: number): number => Math.floor(i / splits.length) % 3
  postIds.forEach((postId, i) => {
    store.annotations.append({ projectId, postId, modality: 'overall', label: CONFUSION_ORDER[classOf(i)]!, source: 'imported', kind: 'label', annotator: 'test' })
  })
  if (options.features === false) return { projectId, postIds }
  cacheSeparableFeatures(store, postIds, postIds.map((_, i) => classOf(i)))
  return { projectId, postIds }
}

/**
 * Cached vectors of the current default pair for `postIds` in every view a run reads, each post's
 * class (CONFUSION_ORDER index) showing as a raised block of values under its own noise: what a run
 * that names no pair reads, without running an encoder.
 */
export function cacheSeparableFeatures(store: Store, postIds: readonly number[], classes: readonly number[]): void {
  const text = builtInPairInfo(CURRENT_DEFAULT)!.text
  const next = seededRandom(7)
  const vector = (i: number, dim: number): Float32Array => Float32Array.from({ length: dim }, (_, j) => (Math.floor((j % 30) / 10) === classes[i] ? 1 : 0) + (next() - 0.5) * 1.5)
  const rows: FeatureRow[] = postIds.flatMap((postId, i) => [
    ...['clean', 'weak:0', 'strong:0'].map((view) => ({ postId, encoder: DEFAULT_IMAGE_ID, view, vector: vector(i, DEFAULT_IMAGE_DIM) })),
    ...['clean', 'strong:0'].map((view) => ({ postId, encoder: text.id, view, vector: vector(i, text.dim) })),
  ])
  store.features.write(rows)
}
