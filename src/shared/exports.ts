// Exports of labels and models. Pure types and constants: no Node, no DOM.

export const EXPORT_FORMATS = ['csv', 'jsonl', 'label-studio'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportLabelsRequest {
  projectId: number
  format: ExportFormat
  /** The file to write (absolute; written to a temporary name, then renamed). */
  path: string
  /** Include this run's pseudo-labels as predictions. */
  runId?: number
}

export interface ExportLabelsResult {
  path: string
  /** Posts written. */
  rows: number
}

export interface ExportModelResult {
  /** The folder written. */
  path: string
  /** Files copied, relative to `path`. */
  files: string[]
}
