// One task in one worker process, from the parent's side: start it, relay its progress, cancel it
// (ask, then kill after a grace period), and turn whatever ends it — an answer, a crash, a kill —
// into exactly one outcome.
import type { FromWorker, StartMessage, Tasks, TaskName, WorkerProgress } from '../extraction-protocol'
import type { LaunchWorker } from './worker-process'

export type TaskOutcome<R> = { outcome: 'done'; result: R } | { outcome: 'cancelled'; result: R | null } | { outcome: 'failed'; error: string }

export interface RunningTask<R> {
  readonly outcome: Promise<TaskOutcome<R>>
  cancel(): void
}

/** How long a cancelled worker may take to finish its batch before it is killed. */
const CANCEL_GRACE_MS = 3000
/** How long a worker that has answered may take to exit on its own. */
const EXIT_GRACE_MS = 2000

export function runWorkerTask<T extends TaskName>(
  launch: LaunchWorker,
  start: Extract<StartMessage, { task: T }>,
  onProgress: (progress: WorkerProgress) => void = () => undefined,
): RunningTask<Tasks[T]['result']> {
  type R = Tasks[T]['result']
  const worker = launch()
  let cancelRequested = false
  let settled = false
  let exited = false
  let settle!: (outcome: TaskOutcome<R>) => void
  const timers: NodeJS.Timeout[] = []
  const outcome = new Promise<TaskOutcome<R>>((resolve) => {
    settle = (o) => {
      if (settled) return
      settled = true
      resolve(o)
      if (!exited) timers.push(setTimeout(() => worker.kill(), EXIT_GRACE_MS))
    }
  })

  worker.onMessage((message: FromWorker) => {
    switch (message.type) {
      case 'progress':
        if (!settled) onProgress(message.progress)
        return
      case 'done':
        return settle({ outcome: 'done', result: message.result as R })
      case 'cancelled':
        return settle({ outcome: 'cancelled', result: message.result as R | null })
      case 'failed':
        return settle({ outcome: 'failed', error: message.error })
    }
  })
  worker.onExit((reason) => {
    exited = true
    for (const t of timers) clearTimeout(t)
    if (cancelRequested) settle({ outcome: 'cancelled', result: null })
    else settle({ outcome: 'failed', error: `the feature worker stopped before it finished (${reason ?? 'exit code 0'})` })
  })
  worker.send(start)

  return {
    outcome,
    cancel() {
      if (settled || exited || cancelRequested) return
      cancelRequested = true
      worker.send({ type: 'cancel' })
      timers.push(setTimeout(() => worker.kill(), CANCEL_GRACE_MS))
    },
  }
}
