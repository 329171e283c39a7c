import type { ImportFormat } from '#shared/imports'
import type { Modality, Sentiment } from '#shared/vocabulary'
import type { NewPost } from './posts-repo'
import type { Store } from './store'

/** One label of a post as the input gave it (an annotation with source 'imported'). */
export interface CandidateLabel {
  modality: Modality
  label: Sentiment
  annotator: string
}

export interface ValidatedPost extends NewPost {
  labels: CandidateLabel[]
}

export interface WrittenImport {
  sourceId: number
  posts: number
  annotations: number
}

/**
 * Writes a whole import in one transaction: the source, its posts and their imported labels.
 * Either all of it lands or none of it does, whatever happens to the process.
 */
export function writeImport(
  store: Store,
  projectId: number,
  root: string,
  format: ImportFormat,
  posts: readonly ValidatedPost[],
  report: (sourceId: number) => unknown,
): WrittenImport {
  const insertAnnotation = store.db.prepare(
    `INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES (?, ?, ?, ?, 'imported', ?)`,
  )
  return store.db.transaction(() => {
    const sourceId = store.sources.insert(projectId, root, format)
    let annotations = 0
    for (const post of posts) {
      const { labels, ...row } = post
      const postId = store.posts.insert(projectId, sourceId, row)
      for (const l of labels) {
        insertAnnotation.run(projectId, postId, l.modality, l.label, l.annotator)
        annotations++
      }
    }
    store.sources.setReport(sourceId, report(sourceId))
    return { sourceId, posts: posts.length, annotations }
  }).immediate()
}
