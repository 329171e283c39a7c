// The writes a view makes as keys are pressed (labels, undo and redo, review decisions) and their
// honest save state. Writes go to the back end one at a time, in the order they were asked for,
// so a fast annotator's keys land in order and an undo follows what it undoes. The state says
// "saving…" while any write is on its way, "saved" only once the back end has acknowledged the
// last one, and a failure stays shown until the next write is asked for (later writes already
// queued still go, in order). A write refused for a passing reason (the store busy with another
// program's write, which wrote nothing) is sent again, and the state says why it still waits.
// No Vue and no DOM here: the store mirrors the state into a ref.

export type SaveState =
  | { state: 'idle' }
  /** `retrying`: why the write on its way is being sent again. */
  | { state: 'saving'; pending: number; what: string; retrying?: string }
  | { state: 'saved'; what: string }
  | { state: 'failed'; message: string }

export interface Write<T> {
  /** What the status names while the write waits, and once saved unless `saved` says more. */
  what: string
  /** The call itself; resolved once the back end has acknowledged it. */
  run: () => Promise<T>
  /** What "saved" names, from the answer: "undo: post 12 overall → positive". */
  saved?: (answer: T) => string
  /** Takes back what the view showed before the answer (an optimistic decision). */
  onFail?: (err: unknown) => void
}

export interface WriteQueueOptions {
  /** Every new save state, in order. */
  onChange: (state: SaveState) => void
  /** The message a failure shows. */
  describe: (err: unknown) => string
  /** Told of each failed write once its failure is shown (an error banner). */
  onError?: (err: unknown) => void
  /**
   * Whether a write that failed with `err` on its `attempt`-th try (1, 2, …) is sent again: the
   * reason to show meanwhile, or null to fail. Only for failures that wrote nothing.
   */
  retry?: (err: unknown, attempt: number) => string | null
}

export interface WriteQueue {
  /** Queues a write behind the others; resolves to its answer, or undefined when it failed. */
  enqueue<T>(write: Write<T>): Promise<T | undefined>
  /** Writes asked for and not yet settled. */
  readonly pending: number
  readonly state: SaveState
  /** Resolves once every write asked for so far has settled. */
  settled(): Promise<void>
  /** Shows "idle" again (another run opened); writes on their way still go and still report. */
  reset(): void
}

export function createWriteQueue(options: WriteQueueOptions): WriteQueue {
  let state: SaveState = { state: 'idle' }
  let pending = 0
  let lastAsked = ''
  /** Why the write on its way is being sent again; a key pressed meanwhile keeps the reason shown. */
  let retrying: string | undefined
  let tail: Promise<void> = Promise.resolve()

  const set = (next: SaveState): void => {
    state = next
    options.onChange(next)
  }

  /** `write`'s answer; sent again while `retry` names a reason. */
  async function attempt<T>(write: Write<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await write.run()
      } catch (err) {
        const reason = options.retry?.(err, tries)
        if (!reason) throw err
        retrying = reason
        set({ state: 'saving', pending, what: lastAsked, retrying })
      }
    }
  }

  async function send<T>(write: Write<T>): Promise<T | undefined> {
    let answer: T
    try {
      answer = await attempt(write)
    } catch (err) {
      retrying = undefined
      pending--
      set({ state: 'failed', message: options.describe(err) })
      write.onFail?.(err)
      options.onError?.(err)
      return undefined
    }
    retrying = undefined
    pending--
    if (state.state === 'failed') return answer
    if (pending > 0) set({ state: 'saving', pending, what: lastAsked })
    else set({ state: 'saved', what: write.saved ? write.saved(answer) : write.what })
    return answer
  }

  return {
    enqueue<T>(write: Write<T>): Promise<T | undefined> {
      pending++
      lastAsked = write.what
      set({ state: 'saving', pending, what: write.what, ...(retrying ? { retrying } : {}) })
      const done = tail.then(() => send(write))
      // A throwing callback must not stop the writes behind this one.
      tail = done.then(
        () => undefined,
        () => undefined,
      )
      return done
    },
    get pending() {
      return pending
    },
    get state() {
      return state
    },
    settled: () => tail,
    reset: () => set({ state: 'idle' }),
  }
}
