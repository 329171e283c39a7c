// Starting the feature worker: the generic worker launcher (workers/fork-off-loop.ts) on this
// worker's entry file. Electron passes its own launcher (a utilityProcess) of the same shape.
import { workerEntry, type ChildHandle } from '#main/workers/child-process'
import { forkOffLoop } from '#main/workers/fork-off-loop'
import type { FromWorker, ToWorker } from '../extraction-protocol'

export type WorkerHandle = ChildHandle<ToWorker, FromWorker>

export type LaunchWorker = () => WorkerHandle

/** The feature worker's entry, for launchers that start it themselves (Electron). */
export const FEATURE_WORKER_ENTRY = workerEntry('features/extraction/worker.ts')

export const forkWorker = (): WorkerHandle => forkOffLoop<ToWorker, FromWorker>(FEATURE_WORKER_ENTRY)
