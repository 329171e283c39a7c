// The end-of-run pseudo-labels through the ONNX head session, the path `predict` takes: the graph is
// built from the selected weights (without standardisation: the trainer's features are standardised
// already), run on the unlabeled posts' clean features and on their first strong view (the loss the
// review queue shows), then turned into pseudo-labels with the PLF replayed.
import type { ModalityViews, TrainPosts } from '../data'
import type { ViewRows } from '../view-rows'
import { pseudoLabels, type PseudoLabel } from '../evaluate'
import { buildHeadGraph, type Calibration } from './head-graph'
import { HeadSession } from './head-session'
import { headModelOf, type RunModelParts } from './run-model'

export interface PseudoLabelOptions {
  /** The view whose CE against the label is the consistency loss a post would add. */
  strong: (views: ModalityViews) => ViewRows
  classes: number
  plfThreshold: number | null
  /** Why a post has no PLF verdict when `plfThreshold` is null. */
  noFilter?: string
  calibration?: Calibration
}

export interface OnnxPseudoLabels {
  labels: PseudoLabel[]
  /** The clean pass's logits (rows × classes, before calibration): the pool's logits the run reports, no second pass needed. */
  logits: Float32Array
}

export async function pseudoLabelsThroughOnnx(model: RunModelParts, u: TrainPosts, options: PseudoLabelOptions): Promise<OnnxPseudoLabels> {
  const session = await HeadSession.open(buildHeadGraph(headModelOf(model, options.calibration)))
  try {
    const clean = await session.run(u.txt.clean, u.img.clean)
    const strong = await session.run(options.strong(u.txt), options.strong(u.img))
    return { labels: pseudoLabels({ ids: u.ids, clean, strongLogits: strong.logits }, options.classes, options.plfThreshold, options.noFilter), logits: clean.logits }
  } finally {
    await session.release()
  }
}
