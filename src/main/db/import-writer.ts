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

/** Posts between two calls of WriteHooks (progress, and a check for a cancel). */
export const IMPORT_WRITE_STEP = 500

/** Told, every IMPORT_WRITE_STEP posts inside the transaction, how far it is; `stopped` true rolls the whole import back. */
export interface WriteHooks {
  progress?(done: number): void
  stopped?(): boolean
  /** The import's source row, told from inside the transaction as soon as it is written (its id is the import's, should it commit). */
  began?(sourceId: number): void
}

export class ImportWriteStopped extends Error {
  constructor() {
    super('the import was cancelled while it was being written; nothing of it was stored')
  }
}

/**
 * Writes a whole import in one transaction: the source, its posts and their imported labels.
 * Either all of it lands or none of it does, whatever happens to the process. 100,000 posts take
 * ~8 s, so the app runs it, with the rest of the import, on a thread of its own (app/import-thread),
 * not on the shell's event loop.
 */
export function writeImport(
  store: Pick<Store, 'db' | 'sources' | 'posts'>,
  projectId: number,
  root: string,
  format: ImportFormat,
  posts: readonly ValidatedPost[],
  report: (sourceId: number) => unknown,
  hooks: WriteHooks = {},
): WrittenImport {
  const insertAnnotation = store.db.prepare(
    `INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES (?, ?, ?, ?, 'imported', ?)`,
  )
  return store.db.transaction(() => {
    const sourceId = store.sources.insert(projectId, root, format)
    hooks.began?.(sourceId)
    let annotations = 0
    posts.forEach((post, i) => {
      if (i > 0 && i % IMPORT_WRITE_STEP === 0) {
        if (hooks.stopped?.()) throw new ImportWriteStopped()
        hooks.progress?.(i)
      }
      const { labels, ...row } = post
      const postId = store.posts.insert(projectId, sourceId, row)
      for (const l of labels) {
        insertAnnotation.run(projectId, postId, l.modality, l.label, l.annotator)
        annotations++
      }
    })
    store.sources.setReport(sourceId, report(sourceId))
    return { sourceId, posts: posts.length, annotations }
  }).immediate()
}

/** What the last step of an import writes (the report stored with its source). */
export interface ImportWrite {
  projectId: number
  root: string
  format: ImportFormat
  posts: readonly ValidatedPost[]
  /** The import's report (an ImportReport); stored with its `durationMs` made to run from `startedAt` (epoch ms) to the end of the write. */
  report: object
  startedAt: number
}

/** The report writeImport stores for `w`: its duration through the write, as it was when the write ran in place. */
const storedReport =
  (w: Pick<ImportWrite, 'report' | 'startedAt'>) =>
  (): object => ({ ...w.report, durationMs: Date.now() - w.startedAt })

export interface ImportWriteOptions {
  progress?(done: number): void
  /** Aborted: the write stops at its next step and rolls back (ImportWriteStopped). */
  signal?: AbortSignal
}

/** Writes an import (writeImport): in place (writeInPlace), or so that the shell hears when it begins (app/import-thread). */
export type ImportWriter = (write: ImportWrite, options: ImportWriteOptions) => Promise<WrittenImport>

/** writeImport of `w` on `store`'s connection, its report stored with the write's duration (both writers). */
export const writeWhole = (store: Pick<Store, 'db' | 'sources' | 'posts'>, w: ImportWrite, hooks: WriteHooks): WrittenImport =>
  writeImport(store, w.projectId, w.root, w.format, w.posts, storedReport(w), hooks)

/** writeImport on `store`'s own connection, on the caller's thread (the CLI, tests). */
export const writeInPlace =
  (store: Pick<Store, 'db' | 'sources' | 'posts'>): ImportWriter =>
  async (w, options) =>
    writeWhole(store, w, { progress: options.progress, stopped: () => options.signal?.aborted ?? false })
