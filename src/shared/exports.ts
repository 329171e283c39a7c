// Exports of labels and models. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, filledText, id, oneOf, opt } from './fields'

export const EXPORT_FORMATS = ['csv', 'jsonl', 'label-studio'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Longest path a request may name. */
export const PATH_MAX = 4096
const target = () => filledText(PATH_MAX, 'required')

export const ExportLabelsRequest = fields({
  projectId: id(),
  format: oneOf(EXPORT_FORMATS),
  /** Include this run's pseudo-labels as predictions. */
  runId: opt(id()),
  /** The file to write (a leading ~ is the home folder; written to a temporary name, then renamed). */
  path: target(),
})
export type ExportLabelsRequest = v.InferOutput<typeof ExportLabelsRequest>

/** Copies a run's model folder to `path` (new or empty). */
export const ExportModelRequest = fields({ runId: id(), path: target() })

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
