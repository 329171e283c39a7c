// The renderer's write queue behind labeling and review: writes reach the back end one at a time
// in keypress order, and the save state a person reads says "saving…" until the last write is
// acknowledged, then what was saved — or why not.
import { describe, expect, it } from 'vitest'
import { createWriteQueue, type SaveState } from '#renderer/lib/write-queue'
import { ApiError } from '#renderer/api/api-error'
import { BUSY_RETRIES, retryWhenBusy } from '#renderer/api/busy-retry'

/** A call to the back end that answers when the test says so. */
function call<T>() {
  let answer!: (value: T) => void
  let fail!: (err: Error) => void
  let started = false
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve
    fail = reject
  })
  return {
    run: () => {
      started = true
      return promise
    },
    get started() {
      return started
    },
    answer,
    fail,
  }
}

/** Lets every settled promise run its continuations. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

function setup(retry?: (err: unknown, attempt: number) => string | null) {
  const states: SaveState[] = []
  const errors: unknown[] = []
  const queue = createWriteQueue({
    onChange: (s) => states.push(s),
    describe: (err) => (err instanceof Error ? err.message : String(err)),
    onError: (err) => errors.push(err),
    retry,
  })
  return { queue, states, errors }
}

describe('the write queue', () => {
  it('sends writes one at a time, in the order asked for, whatever order the answers come in', async () => {
    const { queue } = setup()
    const calls = [call<string>(), call<string>(), call<string>()]
    const sent: string[] = []
    const answers = calls.map((c, i) =>
      queue.enqueue({
        what: `w${i}`,
        run: () => {
          sent.push(`w${i}`)
          return c.run()
        },
      }),
    )
    await flush()
    expect(sent).toEqual(['w0'])
    expect(calls[1]!.started).toBe(false)
    calls[0]!.answer('a0')
    await flush()
    expect(sent).toEqual(['w0', 'w1'])
    calls[2]!.answer('a2') // answered early: it still waits for w1
    await flush()
    expect(sent).toEqual(['w0', 'w1'])
    calls[1]!.answer('a1')
    await flush()
    expect(sent).toEqual(['w0', 'w1', 'w2'])
    expect(await Promise.all(answers)).toEqual(['a0', 'a1', 'a2'])
  })

  it('says "saving" with what waits until the last write is acknowledged, then what was saved', async () => {
    const { queue, states } = setup()
    expect(queue.state).toEqual({ state: 'idle' })
    const first = call<void>()
    const second = call<{ step: string }>()
    void queue.enqueue({ what: 'post p1 overall → positive', run: first.run })
    void queue.enqueue({ what: 'undo', run: second.run, saved: (a) => `undo: ${a.step}` })
    expect(queue.pending).toBe(2)
    expect(states).toEqual([
      { state: 'saving', pending: 1, what: 'post p1 overall → positive' },
      { state: 'saving', pending: 2, what: 'undo' },
    ])
    first.answer()
    await flush()
    expect(queue.state).toEqual({ state: 'saving', pending: 1, what: 'undo' })
    second.answer({ step: 'post p1 overall → cleared' })
    await queue.settled()
    expect(queue.state).toEqual({ state: 'saved', what: 'undo: post p1 overall → cleared' })
    expect(queue.pending).toBe(0)
  })

  it('shows a failure, takes back the optimistic change, and still sends the writes behind it in order', async () => {
    const { queue, errors } = setup()
    const failing = call<void>()
    const later = call<void>()
    const takenBack: string[] = []
    const sent: string[] = []
    const failed = queue.enqueue({ what: 'p1', run: failing.run, onFail: () => takenBack.push('p1') })
    const next = queue.enqueue({
      what: 'p2',
      run: () => {
        sent.push('p2')
        return later.run()
      },
    })
    failing.fail(new Error('database is locked'))
    expect(await failed).toBeUndefined()
    expect(queue.state).toEqual({ state: 'failed', message: 'database is locked' })
    expect(takenBack).toEqual(['p1'])
    expect(errors).toHaveLength(1)
    await flush()
    expect(sent).toEqual(['p2'])

    // The write already queued is saved, but the failure stays on screen: nobody has seen it yet.
    later.answer()
    await next
    expect(queue.state).toEqual({ state: 'failed', message: 'database is locked' })

    // The next key pressed starts a fresh status.
    const fresh = call<void>()
    void queue.enqueue({ what: 'p3', run: fresh.run })
    expect(queue.state).toEqual({ state: 'saving', pending: 1, what: 'p3' })
    fresh.answer()
    await queue.settled()
    expect(queue.state).toEqual({ state: 'saved', what: 'p3' })
  })

  it('keeps going when a write’s own callback throws', async () => {
    const { queue } = setup()
    const broken = queue.enqueue({
      what: 'a',
      run: async () => 1,
      saved: () => {
        throw new Error('bad describe')
      },
    })
    await expect(broken).rejects.toThrow('bad describe')
    expect(await queue.enqueue({ what: 'b', run: async () => 2 })).toBe(2)
    expect(queue.state).toEqual({ state: 'saved', what: 'b' })
  })

  it('waits for every write asked for so far, and shows idle again on reset', async () => {
    const { queue } = setup()
    const slow = call<void>()
    void queue.enqueue({ what: 'a', run: slow.run })
    let settled = false
    void queue.settled().then(() => (settled = true))
    await flush()
    expect(settled).toBe(false)
    slow.answer()
    await flush()
    expect(settled).toBe(true)
    queue.reset()
    expect(queue.state).toEqual({ state: 'idle' })
  })

  it('sends a write refused because the store was busy again, says why it still waits, and saves it; the writes behind it wait their turn', async () => {
    const { queue, states, errors } = setup(retryWhenBusy)
    const busy = new ApiError('busy', 'The store is busy: another process has held its write lock for over 5.0 s. Nothing was written; try again.')
    const tries = [call<void>(), call<void>(), call<void>()]
    let sent = 0
    const takenBack: string[] = []
    const label = queue.enqueue({ what: 'post p1 overall → positive', run: () => tries[sent++]!.run(), onFail: () => takenBack.push('p1') })
    const behind = call<void>()
    const next = queue.enqueue({ what: 'post p2 overall → negative', run: behind.run })
    tries[0]!.fail(busy)
    await flush()
    expect(queue.state).toEqual({ state: 'saving', pending: 2, what: 'post p2 overall → negative', retrying: 'Store busy with another program; retry 1 of 3' })
    tries[1]!.fail(busy)
    await flush()
    expect(queue.state).toMatchObject({ state: 'saving', retrying: expect.stringContaining('retry 2 of 3') })
    expect(behind.started).toBe(false)
    // A key pressed while the retry waits: the line still says why, and counts the new write.
    const third = call<void>()
    const last = queue.enqueue({ what: 'post p3 overall → neutral', run: third.run })
    expect(queue.state).toEqual({ state: 'saving', pending: 3, what: 'post p3 overall → neutral', retrying: 'Store busy with another program; retry 2 of 3' })
    tries[2]!.answer()
    await label
    await flush()
    expect(sent).toBe(3)
    expect(behind.started).toBe(true)
    expect(queue.state).toEqual({ state: 'saving', pending: 2, what: 'post p3 overall → neutral' }) // sent: no reason to wait left
    behind.answer()
    await next
    third.answer()
    await last
    expect(queue.state).toEqual({ state: 'saved', what: 'post p3 overall → neutral' })
    expect({ takenBack, errors, failed: states.some((s) => s.state === 'failed') }).toEqual({ takenBack: [], errors: [], failed: false })
  })

  it('gives a busy write up after its retries, and never retries another failure', async () => {
    const { queue, errors } = setup(retryWhenBusy)
    let busyTries = 0
    const busy = await queue.enqueue({
      what: 'p1',
      run: async () => {
        busyTries++
        throw new ApiError('busy', 'The store is busy')
      },
    })
    expect(busy).toBeUndefined()
    expect(busyTries).toBe(1 + BUSY_RETRIES)
    expect(queue.state).toEqual({ state: 'failed', message: 'The store is busy' })
    let conflictTries = 0
    await queue.enqueue({
      what: 'p2',
      run: async () => {
        conflictTries++
        throw new ApiError('conflict', 'That step was overtaken')
      },
    })
    expect(conflictTries).toBe(1)
    expect(errors).toHaveLength(2)
  })
})
