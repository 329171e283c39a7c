// Features: encoder pairs, cached vectors per view, extraction, the linear probe. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, id, int, opt, text } from './fields'
import { JOB_OUTCOMES, type Sentiment } from './vocabulary'

/** One frozen encoder as the UI describes it; every cached vector carries its `id`. */
export const EncoderDescription = v.object({
  id: v.string(),
  modality: v.picklist(['image', 'text']),
  dim: v.number(),
  description: v.string(),
})
export type EncoderDescription = v.InferOutput<typeof EncoderDescription>

/** An image and a text encoder extracted together: a built-in pair ('default-v2', 'default-v1') or 'onnx:<folder>'. */
export const EncoderPairInfo = v.object({ id: v.string(), image: EncoderDescription, text: EncoderDescription })
export type EncoderPairInfo = v.InferOutput<typeof EncoderPairInfo>

/** Longest encoder id accepted ('onnx:' and a folder path). */
export const ENCODER_ID_MAX = 4096
/** An encoder pair id as a request gives it; the handler resolves it (and says what is wrong with it). */
export const encoderId = /* @__NO_SIDE_EFFECTS__ */ () => opt(text(ENCODER_ID_MAX))

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
  /** The pair's id that a request naming none, or naming 'default', gets: the Features panel starts on it. */
  defaultPair: string
  /** The answer about the ONNX folder asked about, if one was. */
  folder: OnnxFolderCheck | null
}

/** Weak and strong views per post: 1 by default, each one a full encoding pass. */
export const FEATURE_VIEWS_MAX = 8

/** Asks for the built-in pairs, and the verdict on an ONNX folder when one is given. */
export const EncodersRequest = v.nullish(fields({ onnxFolder: opt(v.pipe(text(ENCODER_ID_MAX), v.trim())) }), {})

/** Grids of image region features (text-guided fusion): 2×2 or 3×3 cells of the image encoder's last feature map. */
export const REGION_GRID_CHOICES = [2, 3] as const

/**
 * A project's features of one pair (the default pair when absent) with K views (the default when
 * absent); with `regions`, the image region rows on that grid too (after the pair's vectors).
 */
export const FeaturesRequest = fields({ projectId: id(), encoder: encoderId(), views: opt(int(1, FEATURE_VIEWS_MAX)), regions: opt(int(2, 3)) })

export const ProbeRequest = fields({ projectId: id(), encoder: encoderId() })

export interface FeatureViewCount {
  modality: 'image' | 'text'
  encoder: string
  /** 'clean', 'weak:0', 'strong:0', … (a text's weak view is its clean text). */
  view: string
  done: number
  missing: number
}

/** `copying`: the vectors of the same images and texts already in the store, counted in (post, view) pairs. */
export const EXTRACTION_PHASES = ['starting', 'loading', 'copying', 'planning', 'encoding', 'regions'] as const
export type ExtractionPhase = (typeof EXTRACTION_PHASES)[number]

export const ExtractionProgress = v.object({
  jobId: v.string(),
  projectId: v.number(),
  /** The encoder pair. */
  encoder: v.string(),
  phase: v.picklist(EXTRACTION_PHASES),
  /** Posts encoded out of the posts that had something missing. */
  done: v.number(),
  total: v.number(),
  postsPerSecond: v.nullable(v.number()),
  etaMs: v.nullable(v.number()),
})
export type ExtractionProgress = v.InferOutput<typeof ExtractionProgress>

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

export const ExtractionProblem = v.object({ postId: v.number(), externalId: v.string(), message: v.string() })
export type ExtractionProblem = v.InferOutput<typeof ExtractionProblem>

/** What a region extraction did (features/regions/run-regions.ts). */
/** What an extraction (of a pair's views, or of image regions) did, counted the same way. */
const extractionCounts = {
  /** Posts in the project, of which `alreadyDone` needed nothing. */
  posts: v.number(),
  alreadyDone: v.number(),
  /** Posts this run encoded (some or all of their views). */
  encoded: v.number(),
  vectorsWritten: v.number(),
  /** Vectors copied from identical posts elsewhere in the store (same image; same text for a text encoder; same external id for an augmented view) before encoding; their posts count as already done. */
  vectorsCopied: v.number(),
  /** Posts whose image could not be read (their text views are stored; the image views stay missing). */
  failed: v.number(),
  problems: v.array(ExtractionProblem),
  durationMs: v.number(),
}

export const RegionSummary = v.object({
  /** The region rows' encoder id: the image encoder's id + '#regions<g>x<g>'. */
  id: v.string(),
  grid: v.number(),
  /** Values a row holds: cells × channels. */
  dim: v.number(),
  ...extractionCounts,
  postsPerSecond: v.number(),
  /** Bytes of one post's row (float16). */
  bytesPerPost: v.number(),
})
export type RegionSummary = v.InferOutput<typeof RegionSummary>

export const ExtractionSummary = v.object({
  pair: EncoderPairInfo,
  views: v.number(),
  ...extractionCounts,
  /** Posts per second through the whole path: decode, views, both encoders, writes. */
  postsPerSecond: v.number(),
  /** Encoder-only throughput, posts per second (all of a post's views of that modality). */
  imagePostsPerSecond: v.nullable(v.number()),
  textPostsPerSecond: v.nullable(v.number()),
  /** Peak resident memory of the extraction process, in MB. */
  peakRssMb: v.number(),
  /** The region rows, when they were asked for. */
  regions: v.optional(RegionSummary),
})
export type ExtractionSummary = v.InferOutput<typeof ExtractionSummary>

export const ExtractionFinished = v.object({
  jobId: v.string(),
  projectId: v.number(),
  encoder: v.string(),
  outcome: v.picklist(JOB_OUTCOMES),
  summary: v.optional(ExtractionSummary),
  error: v.optional(v.string()),
})
export type ExtractionFinished = v.InferOutput<typeof ExtractionFinished>

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
  /** Always the most frequent class of the train labels, on the same test posts: what every row must beat. */
  majority: { label: Sentiment; test: ProbeScores } | null
  durationMs: number
  /** When it ran (ISO time); the runs page shows the latest probe beside each run's score. */
  createdAt?: string
}
