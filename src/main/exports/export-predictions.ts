// A prediction set as CSV: one row per predicted post with the label, its confidence, every class's
// calibrated probability and the post's current human label beside it. Read a page of 1,000 posts
// at a time and written to a temporary file that is renamed over the target.
import type { PredictionsRepo } from '#main/db/predictions-repo'
import { csvLine } from './csv'
import { writeChunksAtomic } from './atomic-file'

const PAGE = 1000
export const PREDICTION_COLUMNS = ['id', 'split', 'prediction', 'confidence', 'p_negative', 'p_neutral', 'p_positive', 'label'] as const

export async function exportPredictions(repo: PredictionsRepo, setId: number, file: string): Promise<{ path: string; rows: number }> {
  let rows = 0
  async function* chunks(): AsyncIterable<string> {
    yield csvLine(PREDICTION_COLUMNS) + '\n'
    for (let after = 0; ; ) {
      const page = repo.page(setId, after, PAGE)
      if (page.length === 0) return
      rows += page.length
      after = page[page.length - 1]!.postId
      yield page.map((r) => csvLine([r.externalId, r.split, r.label, r.confidence, r.pNegative, r.pNeutral, r.pPositive, r.humanLabel]) + '\n').join('')
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  await writeChunksAtomic(file, chunks())
  return { path: file, rows }
}
