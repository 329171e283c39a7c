// Which imports are writing right now, from the events every window gets: an import's one
// transaction holds the store's write lock (~5–10 s at 100,000 posts), and a label or a decision
// saved meanwhile, in any project of the store, waits for its end. The save status says so, rather
// than a bare "saving…" that lasts seconds for no reason a person can see.
import type { ImportFinished, ImportProgress } from '#shared/imports'

export interface WritingImport {
  jobId: string
  projectId: number
  done: number
  total: number
}

export interface ImportsWriting {
  progress(event: ImportProgress): void
  finished(event: Pick<ImportFinished, 'jobId'>): void
  /** The import that has been writing the longest, or null when none is. */
  current(): WritingImport | null
}

export function importsWriting(): ImportsWriting {
  // In the order they began writing.
  const writing = new Map<string, WritingImport>()
  return {
    progress({ jobId, projectId, phase, done, total }) {
      // Its last 'writing' event (done = total) comes once the transaction has committed.
      if (phase === 'writing' && done < total) writing.set(jobId, { jobId, projectId, done, total })
      else writing.delete(jobId)
    },
    finished: ({ jobId }) => void writing.delete(jobId),
    current: () => writing.values().next().value ?? null,
  }
}
