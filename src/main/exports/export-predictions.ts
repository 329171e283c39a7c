// A prediction set as CSV: one row per predicted post with the label, its confidence, every class's
// calibrated probability and the post's current human label beside it. Read a page of posts at a
// time (pages.ts) and written to a temporary file that is renamed over the target.
import type { PredictionsRepo } from '#main/db/predictions-repo'
import { csvLine } from './csv'
import { writeChunksAtomic } from './atomic-file'
import { pagesOf } from './pages'

export const PREDICTION_COLUMNS = ['id', 'split', 'prediction', 'confidence', 'p_negative', 'p_neutral', 'p_positive', 'label'] as const

export async function exportPredictions(repo: PredictionsRepo, setId: number, file: string): Promise<{ path: string; rows: number }> {
  let rows = 0
  async function* chunks(): AsyncIterable<string> {
    yield csvLine(PREDICTION_COLUMNS) + '\n'
    for await (const page of pagesOf((after, limit) => repo.page(setId, after, limit))) {
      rows += page.length
      yield page.map((r) => csvLine([r.externalId, r.split, r.label, r.confidence, r.pNegative, r.pNeutral, r.pPositive, r.humanLabel]) + '\n').join('')
    }
  }
  await writeChunksAtomic(file, chunks())
  return { path: file, rows }
}
