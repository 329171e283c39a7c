// One feature task in one worker process: the generic runner (workers/child-task.ts) typed for
// the extraction protocol.
import { runChildTask, type ChildOutcome, type RunningChild } from '#main/workers/child-task'
import type { StartMessage, Tasks, TaskName, WorkerProgress } from '../extraction-protocol'
import type { LaunchWorker } from './worker-process'

export type TaskOutcome<R> = ChildOutcome<R>
export type RunningTask<R> = RunningChild<R>

/**
 * How long a cancelled worker may take to finish its batch before it is killed. A batch is 32 posts
 * with up to three image views each: ~1.5 s on a quiet 2-core machine, over 3 s when it is busy
 * (a kill then lost the batch and the summary), so the grace matches the trainer's.
 */
const CANCEL_GRACE_MS = 15_000

export function runWorkerTask<T extends TaskName>(
  launch: LaunchWorker,
  start: Extract<StartMessage, { task: T }>,
  onProgress: (progress: WorkerProgress) => void = () => undefined,
): RunningTask<Tasks[T]['result']> {
  return runChildTask(launch(), start as StartMessage, onProgress, { name: 'the feature worker', cancelGraceMs: CANCEL_GRACE_MS }) as RunningTask<Tasks[T]['result']>
}
