// Version 18: a self-training run's steps count all its fits. Self-training fits its head again in
// each of its rounds + 1 fits of `steps` each; its progress, curves and kept step count all of
// them (training/config.ts `runSteps`), while the run row said `steps` and, once done, "step 1,000
// of 1,000" beside charts that run to 5,000. Rows written before get the whole count. A stopped
// run's step already counted every fit and stays; one without its rounds recorded stays as it was.
import type { Migration } from './migrations-types'

const ROUNDS = "json_extract(config, '$.selfTraining.rounds')"

export const SELF_TRAINING_STEPS: Migration = {
  version: 18,
  name: "runs: a self-training run's steps count every round's fit",
  sql: `
    UPDATE runs SET
      step = CASE WHEN status = 'done' THEN steps * (${ROUNDS} + 1) ELSE step END,
      steps = steps * (${ROUNDS} + 1)
    WHERE method = 'self-training' AND json_valid(config) AND ${ROUNDS} IS NOT NULL;
  `,
}
