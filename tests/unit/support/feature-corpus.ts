// A project whose posts have real image files (the feature pipeline decodes them) and overall
// labels, written through the importer's own writer.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { SENTIMENTS, type Sentiment, type Split } from '#shared/vocabulary'
import { writeImport } from '#main/db/import-writer'
import type { Store } from '#main/db/store'
import { jpeg } from './images'
import { tempDir } from './temp'

export interface CorpusPost {
  split: Split
  label: Sentiment | null
}

/** `posts` posts in a fresh project, cycling through train/val/test and the three classes. */
export async function featureCorpus(store: Store, posts: number | CorpusPost[], name = 'features'): Promise<{ projectId: number; root: string }> {
  const list: CorpusPost[] =
    typeof posts === 'number' ? Array.from({ length: posts }, (_, i) => ({ split: (['train', 'val', 'test'] as const)[i % 3]!, label: SENTIMENTS[i % 3]! })) : posts
  const root = tempDir('cg-features-')
  const projectId = store.projects.create(name).id
  const rows = await Promise.all(
    list.map(async (post, i) => {
      const file = `p${i}.jpg`
      writeFileSync(path.join(root, file), await jpeg(i, 40 + (i % 5) * 8))
      return {
        externalId: `p${i}`,
        text: `post number ${i} is ${i % 2 ? 'good' : 'plain'} today`,
        imagePath: file,
        imageHash: `hash${i}`,
        width: 40,
        height: 30,
        split: post.split,
        conflict: false,
        labels: post.label ? [{ modality: 'overall' as const, label: post.label, annotator: 'test' }] : [],
      }
    }),
  )
  writeImport(store, projectId, root, 'folder', rows, () => ({}))
  return { projectId, root }
}
