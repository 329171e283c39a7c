// How the review words what a run's confidences rest on (shared/calibration.ts ConfidenceBasis):
// calibrated on its validation posts, or the model's own, which a run on a few labels gives as
// "100 % sure" when it is not.
import { CALIBRATION_MIN_EACH, CALIBRATION_MIN_POSTS, type ConfidenceBasis } from '#shared/calibration'
import { formatCount } from './format'

/** Why the confidences are not calibrated, in a sentence; null when they are. */
export function uncalibratedWhy(basis: ConfidenceBasis): string | null {
  if (basis.calibrated) return null
  const had = basis.posts === 0 ? 'The run had no validation posts' : `The run had ${formatCount(basis.posts)} validation posts`
  return (
    `The model's own confidence, often too sure. ${had}; calibrating takes ${CALIBRATION_MIN_POSTS}, ` +
    `with at least ${CALIBRATION_MIN_EACH} it gets right and ${CALIBRATION_MIN_EACH} it gets wrong.`
  )
}
