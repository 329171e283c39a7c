// The shell's event loop during a scripted review-and-label session at 100,000 posts, with the
// heavy reads in the read thread (app/read-thread) as both shells run them: the longest stall of
// the loop (a timer's lateness, sampled every millisecond), the first review page of a run ranked
// when it finished, review pages, decisions, labels, project stats and grid pages. Bulk accept
// and its undo (written 50 posts a transaction) are measured apart; an idle loop's longest stall
// in the same run says how much of each figure is the machine's load.
import { readFileSync } from 'node:fs'
import type { Backend } from '#main/app/backend'
import type { Method } from '#shared/contract'
import { SENTIMENTS } from '#shared/vocabulary'
import { filledBackend, POSTS } from './fixture'
import { fillRun } from './review'
import { idle, quantile, withScratch, type Bench, type Figure } from './harness'

const ANNOTATOR = 'bench-session'
const ROUNDS = 150

/** The longest synchronous part of one call per method (how long it held the event loop itself), and that call's time on a core. */
const held = new Map<string, { wall: number; cpu: number }>()

async function ok<T>(backend: Backend, method: Method, payload: unknown): Promise<T> {
  const t = performance.now()
  const onCore = schedstat()?.[0] ?? NaN
  const pending = backend.dispatch(method, payload)
  const wall = performance.now() - t
  if (wall > (held.get(method)?.wall ?? -1)) held.set(method, { wall, cpu: (schedstat()?.[0] ?? NaN) - onCore })
  const reply = await pending
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.result as T
}

async function timed<T>(times: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now()
  const result = await fn()
  times.push(performance.now() - t)
  return result
}

interface Stall {
  /** The longest gap between two turns of a 1 ms timer, less the timer's 1 ms. */
  wall: number
  /** The same gap less the time the thread sat runnable, waiting for a core (Linux schedstat): what the loop's own work and I/O cost. */
  own: number
}

/** The main thread's [time on a core, time waiting for one] in ms (Linux; null elsewhere). */
function schedstat(): [number, number] | null {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number)
    return [run! / 1e6, wait! / 1e6]
  } catch {
    return null
  }
}

/**
 * The loop's longest stall while `fn` runs, sampled by a 1 ms timer. On a machine shared by many
 * processes much of a gap is the OS giving the core to someone else, so each gap is also reported
 * without the time the thread waited for a core: that part is this code's.
 */
async function longestStall(fn: () => Promise<void>): Promise<Stall> {
  const worst: Stall = { wall: 0, own: 0 }
  let last = performance.now()
  let lastSched = schedstat()
  const timer = setInterval(() => {
    const now = performance.now()
    const sched = schedstat()
    const gap = now - last - 1
    const waited = sched && lastSched ? sched[1] - lastSched[1] : 0
    worst.wall = Math.max(worst.wall, gap)
    worst.own = Math.max(worst.own, gap - waited)
    last = now
    lastSched = sched
  }, 1)
  try {
    await fn()
    // A last tick, so a block at the very end is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 5))
  } finally {
    clearInterval(timer)
  }
  return worst
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)

export const stall: Bench = {
  name: 'stall',
  async run() {
    return withScratch(async (dir) => {
      const { backend, projectId } = filledBackend(dir, 'stall', { readThread: true })
      const runId = fillRun(backend, projectId)
      const figures: Figure[] = []
      const fig = (metric: string, value: number, unit = 'ms', target?: string): void =>
        void figures.push({ bench: 'stall', metric, value, unit, ...(target ? { target } : {}) })
      const stallFigs = (during: string, stall: Stall): void => {
        fig(`longest event-loop stall ${during}`, stall.wall)
        fig(`  the same less the waits for a core (this process's own)`, stall.own, 'ms', '≤ 50 ms')
      }
      try {
        const rankTimes: number[] = []
        const rankStall = await longestStall(() => timed(rankTimes, () => backend.reads.rank(runId)))
        fig(`ranking a finished run of ${POSTS} pseudo-labels (read thread, at run end)`, rankTimes[0]!)
        stallFigs('while it ranks', rankStall)
        const first: number[] = []
        const pages: number[] = []
        const decides: number[] = []
        const labels: number[] = []
        const stats: number[] = []
        const grid: number[] = []
        const session = await longestStall(async () => {
          await timed(first, () => ok(backend, 'review.queue', { runId, order: 'risk', filter: 'pending', offset: 0, limit: 20 }))
          for (let i = 0; i < ROUNDS; i++) {
            const page = await timed(pages, () =>
              ok<{ items: Array<{ postId: number }> }>(backend, 'review.queue', { runId, order: i % 2 ? 'risk' : 'confidence', filter: 'pending', offset: 0, limit: 20 }),
            )
            const postId = page.items[0]!.postId
            await timed(decides, () => ok(backend, 'review.decide', { runId, postId, kind: i % 7 === 0 ? 'reject' : 'accept', annotator: ANNOTATOR }))
            if (i % 10 === 9) await ok(backend, 'review.undo', { runId, annotator: ANNOTATOR })
            const labeled = 1 + ((i * 7919) % POSTS)
            await timed(labels, () => ok(backend, 'labels.set', { projectId, postId: labeled, modality: 'overall', label: SENTIMENTS[i % 3], annotator: ANNOTATOR }))
            if (i % 5 === 0) await timed(stats, () => ok(backend, 'projects.stats', { projectId }))
            if (i % 3 === 0) await timed(grid, () => ok(backend, 'posts.page', { projectId, offset: ((i * 7919) % 1000) * 100, limit: 100 }))
            await idle()
          }
        })
        fig(`first review page of the ranked run (review.queue)`, first[0]!, 'ms', '< 200 ms')
        fig('review page (review.queue, 20 items): median', quantile(sorted(pages), 0.5))
        fig('review page: p95', quantile(sorted(pages), 0.95))
        // Every page reads the run's kept counts (migration 12) as the first does: the slowest of all is the "every time" figure.
        fig('review page: slowest of the session, the first included', Math.max(first[0]!, ...pages), 'ms', '< 200 ms')
        fig('review.decide: median', quantile(sorted(decides), 0.5))
        fig('labels.set: median', quantile(sorted(labels), 0.5))
        fig('project stats (projects.stats): median', quantile(sorted(stats), 0.5), 'ms', '< 50 ms')
        fig('project stats: p95', quantile(sorted(stats), 0.95))
        fig('grid page of 100 (posts.page): median', quantile(sorted(grid), 0.5))
        const heldFigs = (suffix: string, target?: string): void => {
          for (const [method, { wall, cpu }] of [...held.entries()].sort((a, b) => b[1].wall - a[1].wall)) {
            fig(`longest synchronous part of one ${method} call${suffix}`, wall, 'ms', target)
            fig(`  of which on a core (the rest: waiting for a core or the disk)`, cpu)
          }
        }
        heldFigs(' (event loop held)', '≤ 50 ms')
        held.clear()
        stallFigs(`over the session (${ROUNDS} rounds of page, decide, label; stats, grid pages)`, session)
        const bulkTimes: number[] = []
        let accepted = 0
        const bulk = await longestStall(async () => {
          await timed(bulkTimes, async () => {
            accepted = (await ok<{ accepted: number }>(backend, 'review.bulkAccept', { runId, minConfidence: 0.95, annotator: ANNOTATOR })).accepted
          })
          await timed(bulkTimes, () => ok(backend, 'review.undo', { runId, annotator: ANNOTATOR }))
        })
        fig(`bulk accept at 0.95 (${accepted} posts, written 50 a transaction): until answered`, bulkTimes[0]!)
        fig('its undo: until answered', bulkTimes[1]!)
        stallFigs('over the bulk accept and its undo', bulk)
        heldFigs(' (its first chunk)')
        // The same measure over an idle loop: what the machine's load alone costs (2 cores shared).
        stallFigs('of an idle loop over 3 s (the machine\'s noise floor, same run)', await longestStall(() => new Promise((resolve) => setTimeout(resolve, 3000))))
      } finally {
        backend.close()
      }
      return figures
    })
  },
}
