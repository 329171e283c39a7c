// The end-of-run pseudo-labels through the ONNX head session, the path `predict` takes: the graph is
// built from the selected weights (without standardisation: the trainer's features are standardised
// already), run on the unlabeled posts' clean features, then turned into pseudo-labels with the PLF
// replayed. A pass on a strong view (the consistency loss a post would add) runs only when asked:
// at the end of a run it doubled the pass over the pool (3.5 s of the 100,000-post budget) for
// evidence the review's order does not use (review/risk.ts).
import type { ModalityViews, TrainPosts } from '../data'
import type { ViewRows } from '../view-rows'
import { pseudoLabels, type PseudoLabels } from '../evaluate'
import { buildHeadGraph, type Calibration } from './head-graph'
import { HeadSession } from './head-session'
import { headModelOf, type RunModelParts } from './run-model'

export interface PseudoLabelOptions {
  /** The view whose CE against the label is the consistency loss a post would add; without it, no second pass and every loss is null. */
  strong?: (views: ModalityViews) => ViewRows
  classes: number
  plfThreshold: number | null
  /** Why a post has no PLF verdict when `plfThreshold` is null. */
  noFilter?: string
  calibration?: Calibration
}

export interface OnnxPseudoLabels {
  labels: PseudoLabels
  /** The clean pass's logits (rows × classes, before calibration): the pool's logits the run reports, no second pass needed. */
  logits: Float32Array
  /** Milliseconds in the session (both passes when there are two) and in the pseudo-label rules. */
  timing: { onnxMs: number; rulesMs: number }
}

export async function pseudoLabelsThroughOnnx(model: RunModelParts, u: TrainPosts, options: PseudoLabelOptions): Promise<OnnxPseudoLabels> {
  const session = await HeadSession.open(buildHeadGraph(headModelOf(model, options.calibration)))
  try {
    const started = performance.now()
    const clean = await session.run(u.txt.clean, u.img.clean)
    const strong = options.strong ? (await session.run(options.strong(u.txt), options.strong(u.img))).logits : null
    const inferred = performance.now()
    const labels = pseudoLabels({ ids: u.ids, clean, strongLogits: strong }, options.classes, options.plfThreshold, options.noFilter)
    return { labels, logits: clean.logits, timing: { onnxMs: inferred - started, rulesMs: performance.now() - inferred } }
  } finally {
    await session.release()
  }
}
