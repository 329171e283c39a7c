// Starting the trainer: the generic worker launcher (workers/fork-off-loop.ts) on the trainer's
// entry file, and one task in it from the parent's side. Electron passes its own launcher (a
// utilityProcess) of the same shape.
import { workerEntry, type ChildHandle } from '#main/workers/child-process'
import { forkOffLoop } from '#main/workers/fork-off-loop'
import { runChildTask, type RunningChild } from '#main/workers/child-task'
import type { AnyTrainerProgress, FromTrainer, ToTrainer, TrainerStart, TrainerTaskName, TrainerTasks } from './trainer-protocol'

export type TrainerHandle = ChildHandle<ToTrainer, FromTrainer>
export type LaunchTrainer = () => TrainerHandle

export const TRAINER_ENTRY = workerEntry('training/worker/trainer-worker.ts')

export const forkTrainer = (): TrainerHandle => forkOffLoop<ToTrainer, FromTrainer>(TRAINER_ENTRY)

/** A cancelled run stops after its step and saves a checkpoint; a step of the paper preset can take seconds. */
const CANCEL_GRACE_MS = 15_000

export function runTrainerTask<T extends TrainerTaskName>(
  launch: LaunchTrainer,
  start: Extract<TrainerStart, { task: T }>,
  onProgress: (progress: TrainerTasks[T]['progress']) => void = () => undefined,
): RunningChild<TrainerTasks[T]['result']> {
  return runChildTask(launch(), start as TrainerStart, onProgress as (progress: AnyTrainerProgress) => void, { name: 'the trainer', cancelGraceMs: CANCEL_GRACE_MS }) as RunningChild<TrainerTasks[T]['result']>
}
