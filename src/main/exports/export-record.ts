// One post as the CSV and JSONL exports write it. Column names are the ones the CSV/JSONL importer
// reads (id, text, image, label, text_label, image_label, split), so an export imports again.
import path from 'node:path'
import type { ExportRow } from '#main/db/export-repo'

export interface ExportRecord {
  id: string
  text: string
  /** Relative to the export file's folder when the image lies inside it, else relative to `image_root`. */
  image: string
  /** The imported folder the image lies in, when it is outside the export's folder (the importer reads it back); else null. */
  image_root: string | null
  split: string
  label: string | null
  text_label: string | null
  image_label: string | null
  /** human, imported, pseudo-accepted or correction: where the current overall label came from. */
  label_source: string | null
  conflict: boolean
}

/** A run's prediction and the review decision on it, added when the export names a run. */
export interface PredictionColumns {
  pseudo_label: string | null
  pseudo_confidence: number | null
  pseudo_text_label: string | null
  pseudo_image_label: string | null
  review: string | null
}

export const RECORD_COLUMNS = ['id', 'text', 'image', 'image_root', 'split', 'label', 'text_label', 'image_label', 'label_source', 'conflict'] as const
export const PREDICTION_COLUMNS = ['pseudo_label', 'pseudo_confidence', 'pseudo_text_label', 'pseudo_image_label', 'review'] as const

const slashes = (p: string): string => p.split(path.sep).join('/')

/**
 * The image as the export names it, so the file imports again from wherever it is: a path from
 * the export's folder when the image lies inside it, else a path inside its imported folder plus
 * that folder as `root` (never a bare absolute path: the importer refuses those).
 */
export function imageReference(row: Pick<ExportRow, 'root' | 'imagePath'>, outDir: string): { image: string; root: string | null } {
  const file = path.resolve(row.root, row.imagePath)
  const rel = path.relative(outDir, file)
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return { image: slashes(rel), root: null }
  return { image: slashes(path.relative(row.root, file)), root: row.root }
}

export function toRecord(row: ExportRow, outDir: string, withRun: boolean): ExportRecord & Partial<PredictionColumns> {
  const { image, root } = imageReference(row, outDir)
  const record: ExportRecord = {
    id: row.externalId,
    text: row.text,
    image,
    image_root: root,
    split: row.split,
    label: row.overall,
    text_label: row.textLabel,
    image_label: row.imageLabel,
    label_source: row.overall === null ? null : row.overallSource,
    conflict: row.conflict === 1,
  }
  if (!withRun) return record
  return {
    ...record,
    pseudo_label: row.pseudoLabel,
    pseudo_confidence: row.pseudoConfidence,
    pseudo_text_label: row.pseudoTextLabel,
    pseudo_image_label: row.pseudoImageLabel,
    review: row.review,
  }
}
