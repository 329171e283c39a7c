// One task in one worker process, from the parent's side: start it, relay its progress, cancel it
// (ask, then kill after a grace period), and turn whatever ends it — an answer, a crash, a kill —
// into exactly one outcome. Every worker speaks the same four answers.
import type { ChildHandle } from './child-process'

/** What a worker answers: progress while it works, then exactly one of the other three. */
export type FromChild<P, R> =
  | { type: 'progress'; progress: P }
  | { type: 'done'; result: R }
  /** Stopped on request; `result` tells what was finished before. */
  | { type: 'cancelled'; result: R | null }
  | { type: 'failed'; error: string }

/** A start message, or a request to stop (the parent kills the process if it has not ended in time). */
export type ToChild<S> = S | { type: 'cancel' }

export type ChildOutcome<R> = { outcome: 'done'; result: R } | { outcome: 'cancelled'; result: R | null } | { outcome: 'failed'; error: string }

export interface RunningChild<R> {
  readonly outcome: Promise<ChildOutcome<R>>
  cancel(): void
}

export interface ChildTaskOptions {
  /** Names the worker in a crash's message ("the trainer stopped before it finished …"). */
  name: string
  /** How long a cancelled worker may take to stop on its own before it is killed. */
  cancelGraceMs: number
}

/** How long a worker that has answered may take to exit on its own. */
const EXIT_GRACE_MS = 2000

export function runChildTask<S, P, R>(
  worker: ChildHandle<ToChild<S>, FromChild<P, R>>,
  start: S,
  onProgress: (progress: P) => void,
  options: ChildTaskOptions,
): RunningChild<R> {
  let cancelRequested = false
  let settled = false
  let exited = false
  let settle!: (outcome: ChildOutcome<R>) => void
  const timers: NodeJS.Timeout[] = []
  const outcome = new Promise<ChildOutcome<R>>((resolve) => {
    settle = (o) => {
      if (settled) return
      settled = true
      resolve(o)
      if (!exited) timers.push(setTimeout(() => worker.kill(), EXIT_GRACE_MS))
    }
  })

  worker.onMessage((message) => {
    switch (message.type) {
      case 'progress':
        if (!settled) onProgress(message.progress)
        return
      case 'done':
        return settle({ outcome: 'done', result: message.result })
      case 'cancelled':
        return settle({ outcome: 'cancelled', result: message.result })
      case 'failed':
        return settle({ outcome: 'failed', error: message.error })
    }
  })
  worker.onExit((reason) => {
    exited = true
    for (const t of timers) clearTimeout(t)
    if (cancelRequested) settle({ outcome: 'cancelled', result: null })
    else settle({ outcome: 'failed', error: `${options.name} stopped before it finished (${reason ?? 'exit code 0'})` })
  })
  worker.send(start)

  return {
    outcome,
    cancel() {
      if (settled || exited || cancelRequested) return
      cancelRequested = true
      worker.send({ type: 'cancel' })
      timers.push(setTimeout(() => worker.kill(), options.cancelGraceMs))
    },
  }
}
