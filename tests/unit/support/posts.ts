import type { Split } from '#shared/vocabulary'
import type { Store } from '#main/db/store'

export interface SeedPost {
  text?: string
  split?: Split
  /** Text and image disagree in polarity (training leaves such posts out). */
  conflict?: boolean
}

/** A project with posts written straight to the store (no image files: labeling never reads them). */
export function seedProject(store: Store, posts: number | SeedPost[], name = 'labeling'): { projectId: number; postIds: number[] } {
  const projectId = store.projects.create(name).id
  const sourceId = store.sources.insert(projectId, '/data', 'folder')
  const list: SeedPost[] = typeof posts === 'number' ? Array.from({ length: posts }, () => ({})) : posts
  const postIds = list.map((p, i) =>
    store.posts.insert(projectId, sourceId, {
      externalId: `p${i + 1}`,
      text: p.text ?? `post ${i + 1}`,
      imagePath: `p${i + 1}.jpg`,
      imageHash: `hash${i + 1}`,
      width: 4,
      height: 3,
      split: p.split ?? 'train',
      conflict: p.conflict ?? false,
    }),
  )
  return { projectId, postIds }
}
