// Import requests, progress, and the per-file, per-line problem report. Pure types and constants: no Node, no DOM.
import type { JobOutcome } from './vocabulary'

export const IMPORT_FORMATS = ['mvsa', 'csv', 'jsonl', 'folder', 'label-studio'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export type ProblemSeverity = 'error' | 'warning'

export const PROBLEM_CODES = [
  'missing-image',
  'unreadable-image',
  'missing-text',
  'empty-text',
  'duplicate-id',
  'already-imported',
  'unknown-label',
  'bad-row',
  'bad-file',
  'unknown-split',
  'path-outside-dataset',
  'not-utf8',
  'no-labels-file',
] as const
export type ProblemCode = (typeof PROBLEM_CODES)[number]

/** One thing wrong with the input, located precisely enough for a person to fix it. */
export interface ImportProblem {
  severity: ProblemSeverity
  code: ProblemCode
  /** Path of the offending file, relative to the imported folder when inside it. */
  file: string
  /** 1-based line number in `file`, where the problem sits on a line. */
  line?: number
  externalId?: string
  message: string
}

export interface ImportReport {
  format: ImportFormat
  path: string
  /** Posts found in the input (valid or not). */
  found: number
  imported: number
  /** Posts left out because of an error (see problems). */
  skipped: number
  /** Posts already in the project (same external id), left untouched. */
  alreadyPresent: number
  annotations: number
  conflicts: number
  problems: ImportProblem[]
  durationMs: number
}

export interface ImportRequest {
  projectId: number
  path: string
  /** Detected from the folder's content when omitted. */
  format?: ImportFormat
}

export type ImportPhase = 'scanning' | 'reading' | 'images' | 'writing'

export interface ImportProgress {
  jobId: string
  projectId: number
  phase: ImportPhase
  done: number
  total: number
  /** Estimated milliseconds left, once there is enough to estimate from. */
  etaMs: number | null
}

export interface ImportFinished {
  jobId: string
  projectId: number
  outcome: JobOutcome
  report?: ImportReport
  error?: string
}
