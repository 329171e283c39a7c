// Predictions: a finished run (or an exported ONNX model) applied to a project's posts. Pure types
// and schemas: no Node, no DOM.
import * as v from 'valibot'
import type { Sentiment } from './vocabulary'
import { fields, filledText, id, opt } from './fields'
import { PATH_MAX } from './exports'

/** Exactly one source: a run of any project, or a folder written by `exports.model`. */
export const PredictRequest = v.pipe(
  fields({
    projectId: id(),
    runId: opt(id()),
    /** An exported model folder (model.onnx + common-ground.json); a leading ~ is the home folder. */
    modelPath: opt(filledText(PATH_MAX, 'required')),
  }),
  v.check((r) => (r.runId === undefined) !== (r.modelPath === undefined), 'runId or modelPath: give exactly one'),
)
export type PredictRequest = v.InferOutput<typeof PredictRequest>

/** What a predict is doing: reading the posts' vectors, running the model, storing the set. */
export const PREDICT_PHASES = ['starting', 'reading', 'predicting', 'saving'] as const
export type PredictPhase = (typeof PREDICT_PHASES)[number]

/**
 * A predict in flight (one at a time per project): `done` of `total` counts a post once for each of
 * the three phases (read, predicted, stored), so the bar and the time left cover the whole job.
 */
export const PredictProgress = v.object({
  projectId: v.number(),
  phase: v.picklist(PREDICT_PHASES),
  done: v.number(),
  total: v.number(),
  etaMs: v.nullable(v.number()),
})
export type PredictProgress = v.InferOutput<typeof PredictProgress>

/** How a predict ended: its set (`predict.list`) when done, the reason when it failed. */
export const PredictFinished = v.object({
  projectId: v.number(),
  outcome: v.picklist(['done', 'cancelled', 'failed']),
  setId: v.optional(v.number()),
  error: v.optional(v.string()),
})
export type PredictFinished = v.InferOutput<typeof PredictFinished>

export const ExportPredictionsRequest = fields({ setId: id(), path: filledText(PATH_MAX, 'required') })

export interface PredictionSetSummary {
  id: number
  projectId: number
  /** The run applied, or null when the model came from a folder (then `modelPath`). */
  runId: number | null
  modelPath: string | null
  method: string
  /** The encoder pair whose features the model reads. */
  encoder: string
  /** Posts predicted; posts without the pair's clean features are counted in `missing`. */
  posts: number
  missing: number
  perClass: Record<Sentiment, number>
  meanConfidence: number
  elapsedMs: number
  createdAt: string
}

/** A post's prediction as the grid shows it: the project's latest prediction set. */
export interface PredictionSummary {
  setId: number
  label: Sentiment
  confidence: number
}
