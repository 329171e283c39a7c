// Domain vocabulary shared by the back end and the UI. Pure types and constants: no Node, no DOM.

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type Sentiment = (typeof SENTIMENTS)[number]

/** What a label is about: the whole post, or one modality on its own. */
export const MODALITIES = ['overall', 'text', 'image'] as const
export type Modality = (typeof MODALITIES)[number]

/** `conflict` holds posts whose text and image disagree in polarity (kept, flagged, out of benchmarks). */
export const SPLITS = ['train', 'val', 'test', 'conflict', 'unassigned'] as const
export type Split = (typeof SPLITS)[number]

export const ANNOTATION_SOURCES = ['human', 'imported', 'pseudo-accepted', 'correction'] as const
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number]

export const IMPORT_FORMATS = ['mvsa', 'csv', 'jsonl', 'folder'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export interface ProjectSummary {
  id: number
  name: string
  description: string
  createdAt: string
  postCount: number
}

/** Current label per modality; `null` where nobody (or no rule) labeled that modality. */
export type LabelSet = Record<Modality, Sentiment | null>

export interface PostRow {
  id: number
  externalId: string
  text: string
  split: Split
  /** Text and image labels disagree in polarity (positive vs negative). */
  conflict: boolean
  labels: LabelSet
  /** Media paths, turned into URLs by the renderer's API client (see `mediaPath` in contract.ts). */
  thumb: string
  image: string
  width: number
  height: number
}

export interface PostQuery {
  projectId: number
  offset: number
  limit: number
  split?: Split
  /** Only posts whose current overall label is this; `'unlabeled'` for posts without one. */
  overall?: Sentiment | 'unlabeled'
}

export interface PostPage {
  total: number
  offset: number
  rows: PostRow[]
}

export type CountBySentiment = Record<Sentiment, number>

export interface ProjectStats {
  projectId: number
  total: number
  splits: Record<Split, number>
  /** Current labels per modality and class, over all posts. */
  labels: Record<Modality, CountBySentiment>
  /** Current overall labels per split and class. */
  overallBySplit: Record<Split, CountBySentiment & { unlabeled: number }>
  conflicts: number
  /** Annotation counts per annotator and source (whole history). */
  annotators: Array<{ annotator: string; source: AnnotationSource; count: number }>
}

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

export type JobOutcome = 'done' | 'cancelled' | 'failed'

export interface ImportFinished {
  jobId: string
  projectId: number
  outcome: JobOutcome
  report?: ImportReport
  error?: string
}

export interface AppInfo {
  name: string
  version: string
  shell: 'electron' | 'browser'
  dbPath: string
  schemaVersion: number
  /** Whether the shell can show a native file dialog (`system.pickPath`). */
  nativeDialogs: boolean
}

export interface DirectoryListing {
  path: string
  parent: string | null
  entries: Array<{ name: string; kind: 'dir' | 'file' }>
}
