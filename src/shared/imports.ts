// Import requests, progress, and the per-file, per-line problem report. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, filledText, id, oneOf, opt, text } from './fields'
import { JOB_OUTCOMES } from './vocabulary'

export const IMPORT_FORMATS = ['mvsa', 'csv', 'jsonl', 'folder', 'label-studio'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export const PROBLEM_SEVERITIES = ['error', 'warning'] as const
export type ProblemSeverity = (typeof PROBLEM_SEVERITIES)[number]

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
  'text-too-long',
  'undecodable-text',
] as const
export type ProblemCode = (typeof PROBLEM_CODES)[number]

/** One thing wrong with the input, located precisely enough for a person to fix it. */
export const ImportProblem = v.object({
  severity: v.picklist(PROBLEM_SEVERITIES),
  code: v.picklist(PROBLEM_CODES),
  /** Path of the offending file, relative to the imported folder when inside it. */
  file: v.string(),
  /** 1-based line number in `file`, where the problem sits on a line. */
  line: v.optional(v.number()),
  externalId: v.optional(v.string()),
  message: v.string(),
})
export type ImportProblem = v.InferOutput<typeof ImportProblem>

export const ImportReport = v.object({
  format: v.picklist(IMPORT_FORMATS),
  path: v.string(),
  /** Posts found in the input (valid or not). */
  found: v.number(),
  imported: v.number(),
  /** Posts left out because of an error (see problems). */
  skipped: v.number(),
  /** Posts already in the project (same external id), left untouched. */
  alreadyPresent: v.number(),
  annotations: v.number(),
  conflicts: v.number(),
  /** Every problem, in the report an import returns and stores; in `imports.finished`, the first PROBLEMS_SENT of each severity. */
  problems: v.array(ImportProblem),
  /** How many problems of each severity there were in all. */
  problemCounts: v.object({ error: v.number(), warning: v.number() }),
  durationMs: v.number(),
})
export type ImportReport = v.InferOutput<typeof ImportReport>

/**
 * Problems of each severity `imports.finished` carries: a window shows at most this many, and a
 * re-import of 100,000 posts (a warning each) made an event of 17 MB whose JSON held the shell's
 * loop 190–370 ms. The import's stored report and the CLI's `--json` keep them all.
 */
export const PROBLEMS_SENT = 1000

/** `report` with at most PROBLEMS_SENT problems of each severity, in their order (for the event). */
export function reportToSend(report: ImportReport): ImportReport {
  if (report.problems.length <= PROBLEMS_SENT) return report
  const taken = { error: 0, warning: 0 }
  const problems = report.problems.filter((p) => ++taken[p.severity] <= PROBLEMS_SENT)
  return { ...report, problems }
}

/** Asks what a folder or file holds; an empty path gets an answer saying so, not an error. */
export const ImportDetectRequest = fields({ path: v.pipe(text(), v.trim()) })

export const ImportRequest = fields({
  projectId: id(),
  path: filledText(Infinity, 'enter the folder or file to import'),
  /** Detected from the folder's content when omitted. */
  format: opt(oneOf(IMPORT_FORMATS)),
})
export type ImportRequest = v.InferOutput<typeof ImportRequest>

/** A running job (import or extraction), by the id its start answered. */
export const JobRef = fields({ jobId: text() })

export const IMPORT_PHASES = ['scanning', 'reading', 'images', 'writing'] as const
export type ImportPhase = (typeof IMPORT_PHASES)[number]

export const ImportProgress = v.object({
  jobId: v.string(),
  projectId: v.number(),
  phase: v.picklist(IMPORT_PHASES),
  done: v.number(),
  total: v.number(),
  /** Estimated milliseconds left, once there is enough to estimate from. */
  etaMs: v.nullable(v.number()),
})
export type ImportProgress = v.InferOutput<typeof ImportProgress>

export const ImportFinished = v.object({
  jobId: v.string(),
  projectId: v.number(),
  outcome: v.picklist(JOB_OUTCOMES),
  report: v.optional(ImportReport),
  error: v.optional(v.string()),
})
export type ImportFinished = v.InferOutput<typeof ImportFinished>
