// What a run's plan reads from the store: the labels it would use, the features it lacks, the prior's
// sample and the regions text-guided fusion needs, without reading a vector. At 100,000 posts this
// took 1.4–1.5 s, and the launch dialog asks for a plan at every change: the app reads it on its read
// thread (app/handlers/reads.ts), so only this much crosses over, not the subset's ids.
import type { Database } from 'better-sqlite3'
import type { RunPlan } from '#shared/runs'
import { planTrainingData, resolvePair, type LoadRequest, type TrainingPlan } from './load-data'
import { regionAvailability } from './region-columns'

export type RunDataPlan = Omit<TrainingPlan, 'subset'> & {
  /** Labeled posts per class in the subset (the prior's preview starts from it). */
  perClass: number[]
  regions: RunPlan['regions']
}

export function planRunData(db: Database, request: LoadRequest, grid: number): RunDataPlan {
  const { subset, ...data } = planTrainingData(db, request)
  return { ...data, perClass: [...subset.perClass], regions: regionsOf(db, request, grid) }
}

function regionsOf(db: Database, request: LoadRequest, grid: number): RunPlan['regions'] {
  try {
    return regionAvailability(db, request.projectId, resolvePair(request.encoder), grid)
  } catch (err) {
    return { grid, missing: 0, reason: (err as Error).message }
  }
}
