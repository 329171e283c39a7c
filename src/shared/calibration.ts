// A run's calibration (issue 11): the temperature its probabilities go through, and the model of
// "this pseudo-label is wrong" the review queue orders by. Fitted by the trainer on the validation
// posts at the end of a run and kept with the run. Pure types and constants: no Node, no DOM.

/**
 * Risk of a pseudo-label from what predicts its being wrong on posts with known labels (bench/risk.ts):
 * z = bias + doubt·(1 − calibrated confidence) + neutral·[proposed neutral] + positive·[proposed positive].
 * Fitted on the run's validation posts it is a logistic regression and risk = σ(z), the estimated
 * chance the proposal is wrong; with too few of them, `source` is 'fallback' and risk = z with the
 * fixed weights of FALLBACK_RISK (an order, not a probability).
 */
export interface RiskModel {
  source: 'val' | 'fallback'
  bias: number
  weights: { doubt: number; neutral: number; positive: number }
  /** Validation posts it was fitted on, and how many of them the model got wrong. */
  posts: number
  wrong: number
}

/**
 * Fewer validation posts than CALIBRATION_MIN_POSTS, or fewer than CALIBRATION_MIN_EACH of them right
 * or wrong, and a run is not calibrated: its confidences stay the model's own (T = 1) and its risk
 * order uses FALLBACK_RISK. On a handful of posts the fit is noise, and on posts the model gets all
 * right the NLL falls without end as T shrinks: a 15-label run, its temperature fitted on 15
 * validation posts, proposed its labels "100.0 % sure (calibrated)".
 */
export const CALIBRATION_MIN_POSTS = 60
export const CALIBRATION_MIN_EACH = 10

/** Enough validation posts, right and wrong, to fit a temperature and a risk model on. */
export const enoughToCalibrate = (posts: number, wrong: number): boolean =>
  posts >= CALIBRATION_MIN_POSTS && wrong >= CALIBRATION_MIN_EACH && posts - wrong >= CALIBRATION_MIN_EACH

/** What a run's confidences rest on, as its page and its review show it: fitted on `posts` validation posts, or not calibrated. */
export interface ConfidenceBasis {
  calibrated: boolean
  /** The run's validation posts (0: none, or a run finished before calibration was kept). */
  posts: number
}

/** A finished run's basis with the temperature its confidences went through (1 when not calibrated). */
export interface RunConfidence extends ConfidenceBasis {
  temperature: number
}

/** A run finished before calibration was kept (v8). */
export const NOT_CALIBRATED: RunConfidence = { calibrated: false, posts: 0, temperature: 1 }

export const FALLBACK_RISK: RiskModel = { source: 'fallback', bias: 0, weights: { doubt: 1, neutral: 0.06, positive: -0.07 }, posts: 0, wrong: 0 }

export interface RunCalibration {
  /** p = softmax(logits / temperature); 1 when the run had no validation posts to fit it on. */
  temperature: number
  /** Validation posts the temperature was fitted on, and their mean NLL before and after. */
  posts: number
  nllBefore: number
  nllAfter: number
  risk: RiskModel
}

/**
 * Bulk accept's default minimum (calibrated) confidence: on MVSA the pseudo-labels at or above it
 * were ≥ 85 % right (docs/RESULTS.md, bench/risk.ts).
 */
export const BULK_ACCEPT_DEFAULT = 0.85

/** A run's basis from its stored calibration: calibrated when its risk model was fitted (the same rule, enoughToCalibrate, decides both). */
export const runConfidenceOf = (calibration: RunCalibration): RunConfidence => ({
  calibrated: calibration.risk.source === 'val',
  posts: calibration.posts,
  temperature: calibration.temperature,
})
