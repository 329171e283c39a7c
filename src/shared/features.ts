// Features: encoder pairs, cached vectors per view, extraction, the linear probe. Pure types and constants: no Node, no DOM.
import type { JobOutcome, Sentiment } from './vocabulary'

/** One frozen encoder as the UI describes it; every cached vector carries its `id`. */
export interface EncoderDescription {
  id: string
  modality: 'image' | 'text'
  dim: number
  description: string
}

/** An image and a text encoder extracted together: 'default' (embedded) or 'onnx:<folder>'. */
export interface EncoderPairInfo {
  id: string
  image: EncoderDescription
  text: EncoderDescription
}

/** A pair the app ships, as the encoder choice lists it. */
export interface BuiltInPairChoice {
  id: string
  description: string
}

export interface OnnxFolderCheck {
  /** The folder, made absolute. */
  path: string
  ok: boolean
  /** Each names the file at fault and what is wrong with it. */
  problems: string[]
  /** The pair id to extract with ('onnx:<folder>') when the folder is usable. */
  encoder: string | null
}

export interface EncoderChoices {
  pairs: BuiltInPairChoice[]
  /** The answer about the ONNX folder asked about, if one was. */
  folder: OnnxFolderCheck | null
}

/** Weak and strong views per post: 1 by default, each one a full encoding pass. */
export const FEATURE_VIEWS_MAX = 8

export interface FeatureViewCount {
  modality: 'image' | 'text'
  encoder: string
  /** 'clean', 'weak:0', 'strong:0', … (a text's weak view is its clean text). */
  view: string
  done: number
  missing: number
}

export type ExtractionPhase = 'starting' | 'loading' | 'planning' | 'encoding'

export interface ExtractionProgress {
  jobId: string
  projectId: number
  /** The encoder pair. */
  encoder: string
  phase: ExtractionPhase
  /** Posts encoded out of the posts that had something missing. */
  done: number
  total: number
  postsPerSecond: number | null
  etaMs: number | null
}

export interface FeatureStatus {
  projectId: number
  pair: EncoderPairInfo
  views: number
  posts: number
  /** Posts with every view of both encoders cached. */
  complete: number
  rows: FeatureViewCount[]
  /** The extraction running for this project, if any. */
  job: ExtractionProgress | null
}

export interface ExtractionProblem {
  postId: number
  externalId: string
  message: string
}

export interface ExtractionSummary {
  pair: EncoderPairInfo
  views: number
  /** Posts in the project, of which `alreadyDone` needed nothing. */
  posts: number
  alreadyDone: number
  /** Posts this run encoded (some or all of their views). */
  encoded: number
  vectorsWritten: number
  /** Posts whose image could not be read (their text views are stored; the image views stay missing). */
  failed: number
  problems: ExtractionProblem[]
  durationMs: number
  /** Posts per second through the whole path: decode, views, both encoders, writes. */
  postsPerSecond: number
  /** Encoder-only throughput, posts per second (all of a post's views of that modality). */
  imagePostsPerSecond: number | null
  textPostsPerSecond: number | null
  /** Peak resident memory of the extraction process, in MB. */
  peakRssMb: number
}

export interface ExtractionFinished {
  jobId: string
  projectId: number
  encoder: string
  outcome: JobOutcome
  summary?: ExtractionSummary
  error?: string
}

export const FEATURE_SETS = ['text', 'image', 'both'] as const
export type FeatureSet = (typeof FEATURE_SETS)[number]

export interface ProbeScores {
  accuracy: number
  weightedF1: number
  macroF1: number
}

export interface ProbeRow {
  features: FeatureSet
  dim: number
  /** The inverse regularisation strength chosen on val by weighted F1 (1 where there is no val). */
  c: number
  val: ProbeScores | null
  test: ProbeScores & {
    /** `confusion[truth][prediction]`, classes in `ProbeReport.classes` order. */
    confusion: number[][]
  }
  durationMs: number
}

export interface ProbeReport {
  projectId: number
  pair: EncoderPairInfo
  classes: Sentiment[]
  /** Labeled posts used per split. */
  counts: { train: number; val: number; test: number }
  /** Posts left out, and why. */
  leftOut: { conflict: number; unassigned: number; unlabeled: number; missingFeatures: number }
  rows: ProbeRow[]
  durationMs: number
}
