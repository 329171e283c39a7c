// The shell's event loop during a scripted review-and-label session at 100,000 posts, with the
// heavy reads in the read thread (app/read-thread) as both shells run them: the longest stall of
// the loop (a timer's lateness, sampled every millisecond), the first review page of a run ranked
// when it finished, review pages, decisions, labels, project stats and grid pages. Bulk accept
// and its undo, one large write transaction each, are measured apart (they stall; see the figures).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { Backend } from '#main/app/backend'
import type { Method } from '#shared/contract'
import { SENTIMENTS } from '#shared/vocabulary'
import { filledBackend, POSTS } from './fixture'
import { fillRun } from './review'
import { idle, quantile, withScratch, type Bench, type Figure } from './harness'

const ANNOTATOR = 'bench-session'
const ROUNDS = 150

/** The longest synchronous part of one call per method: how long it held the event loop itself. */
const held = new Map<string, number>()

async function ok<T>(backend: Backend, method: Method, payload: unknown): Promise<T> {
  const t = performance.now()
  const pending = backend.dispatch(method, payload)
  held.set(method, Math.max(held.get(method) ?? 0, performance.now() - t))
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

/** The loop's longest stall while `fn` runs: the worst lateness of a 1 ms timer. */
async function longestStall(fn: () => Promise<void>): Promise<number> {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  try {
    await fn()
    // A last tick, so a block at the very end is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 5))
  } finally {
    h.disable()
  }
  // The histogram holds each tick's delay in ns, the 1 ms of the timer itself included.
  return Math.max(0, h.max / 1e6 - 1)
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
      try {
        const rankTimes: number[] = []
        const rankStall = await longestStall(() => timed(rankTimes, () => backend.reads.rank(runId)))
        fig(`ranking a finished run of ${POSTS} pseudo-labels (read thread, at run end)`, rankTimes[0]!)
        fig('longest event-loop stall while it ranks', rankStall, 'ms', '≤ 50 ms')
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
        fig('review.decide: median', quantile(sorted(decides), 0.5))
        fig('labels.set: median', quantile(sorted(labels), 0.5))
        fig('project stats (projects.stats): median', quantile(sorted(stats), 0.5), 'ms', '< 50 ms')
        fig('project stats: p95', quantile(sorted(stats), 0.95))
        fig('grid page of 100 (posts.page): median', quantile(sorted(grid), 0.5))
        const worst = [...held.entries()].sort((a, b) => b[1] - a[1])
        for (const [method, ms] of worst) fig(`longest synchronous part of one ${method} call (event loop held)`, ms, 'ms', '≤ 50 ms')
        held.clear()
        fig(`longest event-loop stall over the session (${ROUNDS} rounds of page, decide, label; stats, grid pages)`, session, 'ms', '≤ 50 ms')
        const bulk = await longestStall(async () => {
          await ok(backend, 'review.bulkAccept', { runId, minConfidence: 0.95, annotator: ANNOTATOR })
          await ok(backend, 'review.undo', { runId, annotator: ANNOTATOR })
        })
        fig('longest stall of a bulk accept at 0.95 and its undo (main-thread write transactions)', bulk)
        for (const [method, ms] of held) fig(`longest synchronous part of one ${method} call`, ms)
      } finally {
        backend.close()
      }
      return figures
    })
  },
}
