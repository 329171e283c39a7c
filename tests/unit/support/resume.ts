// A training run stopped at step 13 (after the checkpoint of step 8) and resumed from each checkpoint
// it saved must end as the uninterrupted run: the check several method tests share.
import { expect } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint } from '#main/training/checkpoint'
import type { TrainingData } from '#main/training/data'
import type { TrainingConfig } from '#main/training/config'
import { train, TrainingStopped, type TrainResult } from '#main/training/trainer'

/** What of a run must come out the same after a resume. */
export const runOutcome = (r: TrainResult) => ({ metrics: r.metrics, curves: r.curves, pseudoLabels: r.pseudoLabels, teacher: r.teacher, weights: Buffer.from(r.artifacts.weightData as ArrayBuffer).toString('base64') })

export async function expectResumesIdentically(config: TrainingConfig, data: TrainingData, whole: TrainResult): Promise<void> {
  const saved: Uint8Array[] = []
  const controller = new AbortController()
  await expect(
    train({ config, data, onProgress: (p) => p.step === 13 && controller.abort(), signal: controller.signal, checkpoint: { save: (s) => void saved.push(encodeCheckpoint(s)), load: () => null } }),
  ).rejects.toThrow(TrainingStopped)
  expect(saved.length).toBeGreaterThan(0)
  for (const from of saved.map(decodeCheckpoint)) {
    expect(runOutcome(await train({ config, data, checkpoint: { save: () => undefined, load: () => from } }))).toEqual(runOutcome(whole))
  }
}
