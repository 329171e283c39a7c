// The project's current labels (and, with a run, its predictions) as CSV, JSONL or Label Studio
// JSON. Posts are read a page at a time, yielding between pages so other requests are answered
// during a large export (pages.ts; a label written meanwhile may or may not be in it); the file is
// written to a temporary name beside the target and renamed over it at the end.
import path from 'node:path'
import type { ExportFormat, ExportLabelsResult } from '#shared/exports'
import type { ExportRow, ExportRun } from '#main/db/export-repo'
import type { Store } from '#main/db/store'
import { writeChunksAtomic } from './atomic-file'
import { csvLine } from './csv'
import { PREDICTION_COLUMNS, RECORD_COLUMNS, toRecord } from './export-record'
import { toTask } from './label-studio'
import { pagesOf } from './pages'

export interface LabelExport {
  projectId: number
  format: ExportFormat
  /** Absolute path of the file to write; its folder must exist. */
  file: string
  /** The run whose pseudo-labels go in as predictions. */
  run: ExportRun | null
}

export const modelVersion = (run: ExportRun): string => `common-ground run ${run.id} (${run.method}${run.preset ? `, ${run.preset}` : ''})`

/** How one format lays out its rows: an opening, one line per post, a separator between posts, a closing. */
interface Layout {
  head: string
  line(row: ExportRow): string
  separator: string
  tail(rows: number): string
}

const valuesOf = (record: Record<string, unknown>, columns: readonly string[]): unknown[] => columns.map((c) => record[c])

function layoutOf(e: LabelExport): Layout {
  const outDir = path.dirname(e.file)
  if (e.format === 'label-studio') {
    const version = e.run ? modelVersion(e.run) : null
    // One task per line, so the importer can say on which line a bad task starts.
    return { head: '[\n', line: (row) => JSON.stringify(toTask(row, outDir, version)), separator: ',\n', tail: (rows) => (rows > 0 ? '\n]\n' : ']\n') }
  }
  const columns: readonly string[] = e.run ? [...RECORD_COLUMNS, ...PREDICTION_COLUMNS] : RECORD_COLUMNS
  const record = (row: ExportRow): Record<string, unknown> => toRecord(row, outDir, e.run !== null) as unknown as Record<string, unknown>
  return e.format === 'csv'
    ? { head: csvLine(columns) + '\n', line: (row) => csvLine(valuesOf(record(row), columns)), separator: '\n', tail: (rows) => (rows > 0 ? '\n' : '') }
    : { head: '', line: (row) => JSON.stringify(record(row)), separator: '\n', tail: (rows) => (rows > 0 ? '\n' : '') }
}

export async function exportLabels(store: Store, e: LabelExport): Promise<ExportLabelsResult> {
  const layout = layoutOf(e)
  let rows = 0
  async function* chunks(): AsyncGenerator<string> {
    yield layout.head
    for await (const page of pagesOf((after, limit) => store.exports.rows(e.projectId, e.run?.id ?? null, after, limit))) {
      yield (rows > 0 ? layout.separator : '') + page.map(layout.line).join(layout.separator)
      rows += page.length
    }
    yield layout.tail(rows)
  }
  await writeChunksAtomic(e.file, chunks())
  return { path: e.file, rows }
}
