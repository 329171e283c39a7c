// The shell's event loop during a scripted review-and-label session at 100,000 posts, with the
// heavy reads in the read thread (app/read-thread) as both shells run them: the longest stall of
// the loop (a timer's lateness, sampled every millisecond), the first review page of a run ranked
// when it finished, review pages, decisions, labels, project stats and grid pages. Bulk accept
// and its undo (written 50 posts a transaction), a label export of every post, and deleting the
// run and the project are measured apart; an idle loop's longest stall in the same run says how
// much of each figure is the machine's load. Every stall over 40 ms is charged to the call, timer
// or GC that ran in it (stall-trace.ts); the top 5 are printed.
import path from 'node:path'
import type { Backend } from '#main/app/backend'
import type { Method } from '#shared/contract'
import { SENTIMENTS } from '#shared/vocabulary'
import { filledBackend, POSTS } from './fixture'
import { fillRun } from './review'
import { idle, quantile, withScratch, type Bench, type Figure } from './harness'
import { collectGarbage, StallTrace, walGeneration, type Stall } from './stall-trace'

const ANNOTATOR = 'bench-session'
const ROUNDS = 150
/** Gaps of the loop longer than this are charged to what ran in them (the top 5 printed). */
const ATTRIBUTE_OVER_MS = 40

let trace = new StallTrace(ATTRIBUTE_OVER_MS)

/** A call as a transport makes it; its synchronous part (how long it held the event loop itself) goes to the trace. */
async function ok<T>(backend: Backend, method: Method, payload: unknown): Promise<T> {
  const before = walGeneration(backend.store.path)
  const pending = trace.span(method, () => backend.dispatch(method, payload), () =>
    walGeneration(backend.store.path) !== before ? 'started the WAL afresh: its header written and synced' : undefined,
  )
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

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)

export const stall: Bench = {
  name: 'stall',
  async run() {
    return withScratch(async (dir) => {
      const { backend, projectId } = filledBackend(dir, 'stall', { readThread: true })
      // The labels' deferred checkpoints, as the back end sends them, logged as the timer they run in.
      backend.store.delegateCheckpoints(() => trace.span('deferred checkpoint (timer)', () => void backend.reads.checkpoint().catch(() => undefined)))
      const runId = fillRun(backend, projectId)
      // The fixture's garbage (100,000 posts and pseudo-labels written on this thread) is collected
      // before any phase is measured: in the app those rows are the trainer's, in its own process, and
      // their major GC (~40 ms) landed in the first phase.
      collectGarbage()
      const figures: Figure[] = []
      const fig = (metric: string, value: number, unit = 'ms', target?: string): void =>
        void figures.push({ bench: 'stall', metric, value, unit, ...(target ? { target } : {}) })
      /** Runs one phase under a fresh trace: its longest stall, each call type's longest hold, and the top 5 stalls with their causes. */
      const phase = async (during: string, fn: () => Promise<void>, perCall: boolean): Promise<void> => {
        trace.close()
        trace = new StallTrace(ATTRIBUTE_OVER_MS)
        const worst: Stall = await trace.watch(fn)
        fig(`longest event-loop stall ${during}`, worst.wall)
        fig(`  the same less the waits for a core (this process's own)`, worst.own, 'ms', '≤ 50 ms')
        const delays = trace.delays()
        fig(`  monitorEventLoopDelay's max (a second measure of the same loop)`, delays.max)
        if (perCall) {
          fig('  calls that started the WAL afresh on this loop (its header fsynced here)', trace.spans.filter((s) => s.note).length, 'calls')
          for (const [what, s] of [...trace.longestPerKind().entries()].sort((a, b) => b[1].end - b[1].start - (a[1].end - a[1].start))) {
            fig(`  longest synchronous part of one ${what}`, s.end - s.start, 'ms', '≤ 50 ms')
            fig(`    of which on a core (the rest: waiting for a core, the disk or a lock)`, s.cpu ?? NaN)
          }
        }
        const top = trace.top(5)
        console.log(`\nstall: ${during}: ${trace.stalls.length} stall(s) over ${ATTRIBUTE_OVER_MS} ms${top.length ? '; the longest:' : ''}`)
        for (const { stall: s, cause } of top) console.log(`  ${s.wall.toFixed(0).padStart(4)} ms (${s.own.toFixed(0)} ms own): ${cause}`)
      }
      try {
        const rankTimes: number[] = []
        await phase('while a finished run is ranked (read thread)', () => timed(rankTimes, () => backend.reads.rank(runId)).then(() => undefined), false)
        fig(`ranking a finished run of ${POSTS} pseudo-labels (read thread, at run end)`, rankTimes[0]!)
        const first: number[] = []
        const pages: number[] = []
        const decides: number[] = []
        const labels: number[] = []
        const stats: number[] = []
        const grid: number[] = []
        await phase(`over the session (${ROUNDS} rounds of page, decide, label; stats, grid pages)`, async () => {
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
        }, true)
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
        const bulkTimes: number[] = []
        let accepted = 0
        await phase('over a bulk accept at 0.95 and its undo (50 posts a transaction)', async () => {
          await timed(bulkTimes, async () => {
            accepted = (await ok<{ accepted: number }>(backend, 'review.bulkAccept', { runId, minConfidence: 0.95, annotator: ANNOTATOR })).accepted
          })
          await timed(bulkTimes, () => ok(backend, 'review.undo', { runId, annotator: ANNOTATOR }))
        }, true)
        fig(`bulk accept at 0.95 (${accepted} posts): until answered`, bulkTimes[0]!)
        fig('its undo: until answered', bulkTimes[1]!)
        const exportTimes: number[] = []
        let exported = 0
        await phase(`over a label export of every post with the run's predictions (CSV, ${POSTS} posts)`, async () => {
          await timed(exportTimes, async () => {
            exported = (await ok<{ rows: number }>(backend, 'exports.labels', { projectId, format: 'csv', runId, path: path.join(dir, 'labels.csv') })).rows
          })
        }, true)
        fig(`label export (CSV with predictions, ${exported} rows): until answered`, exportTimes[0]!)
        const deleteTimes: number[] = []
        await phase(`over deleting the run (${POSTS} pseudo-labels), then the project (${POSTS} posts and their labels)`, async () => {
          await timed(deleteTimes, () => ok(backend, 'runs.delete', { runId }))
          await timed(deleteTimes, () => ok(backend, 'projects.delete', { projectId }))
        }, true)
        fig('runs.delete: until answered', deleteTimes[0]!)
        fig('projects.delete: until answered', deleteTimes[1]!)
        // The same measure over an idle loop: what the machine's load alone costs (2 cores shared).
        await phase("of an idle loop over 3 s (the machine's noise floor, same run)", () => new Promise((resolve) => setTimeout(resolve, 3000)), false)
      } finally {
        trace.close()
        backend.close()
      }
      return figures
    })
  },
}
