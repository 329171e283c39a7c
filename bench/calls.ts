// Each request a window makes beside the review session (the stall bench's), once at 100,000 posts
// with the clean vectors of the default pair cached and a finished run: the event loop's longest
// stall while it is answered, and how long the answer took. The heavy reads run on the read thread
// as in both shells; what is left on the loop is each handler's own part. A run started here is
// cancelled, and waited for, after each of its passes; its first pass is reported too, as it starts
// the thread the trainer is forked from (workers/fork-off-loop.ts).
import type { Database } from 'better-sqlite3'
import type { Method } from '#shared/contract'
import type { Backend } from '#main/app/backend'
import { resolvePair } from '#main/training/load-data'
import { filledBackend, POSTS } from './fixture'
import { fillRun } from './review'
import { withScratch, type Bench, type Figure } from './harness'
import { StallTrace } from './stall-trace'

/** A constant vector per modality: the requests measured count and plan, they compute nothing from the values. */
function fillCleanVectors(db: Database): void {
  const pair = resolvePair('default-v2')
  const insert = db.prepare('INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, ?, ?, ?, ?)')
  const text = Buffer.alloc(4 * pair.text.dim, 1)
  const image = Buffer.alloc(4 * pair.image.dim, 1)
  db.transaction(() => {
    for (let id = 1; id <= POSTS; id++) {
      insert.run(id, pair.text.id, 'clean', pair.text.dim, text)
      insert.run(id, pair.image.id, 'clean', pair.image.dim, image)
    }
  })()
}

/** Cancels the run and resolves once it has ended. */
async function cancelled(backend: Backend, runId: number): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    const stop = backend.events.subscribe((event, payload) => {
      if (event === 'runs.finished' && (payload as { runId: number }).runId === runId) {
        stop()
        resolve()
      }
    })
  })
  const reply = await backend.dispatch('runs.cancel', { runId })
  if (!reply.ok) throw new Error(`runs.cancel: ${reply.error.message}`)
  // Ended before the cancel (a trainer that failed at once): its event has gone by.
  if (!(reply.result as { cancelled: boolean }).cancelled) return
  await ended
}

export const calls: Bench = {
  name: 'calls',
  async run() {
    return withScratch(async (dir) => {
      const { backend, projectId } = filledBackend(dir, 'calls', { readThread: true })
      const runId = fillRun(backend, projectId)
      fillCleanVectors(backend.store.db)
      const requests: Array<[Method, unknown]> = [
        ['projects.list', undefined],
        ['labels.progress', { projectId }],
        ['labels.agreement', { projectId, modality: 'text' }],
        ['labels.strategies', { projectId }],
        ['labels.suggest', { projectId, strategy: 'stratified', count: 50, seed: 1 }],
        ['labels.post', { projectId, postId: 5 }],
        ['labels.setTarget', { projectId, target: 1_000 }],
        ['features.status', { projectId }],
        ['runs.list', { projectId }],
        ['runs.get', { runId }],
        ['runs.plan', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'current' }, seed: 1 }],
        ['labelCheck.list', { projectId }],
        ['app.info', undefined],
        ['projects.folders', { projectId }],
        ['labels.queue', { projectId }],
        ['labels.queue', { projectId, order: 'id', search: 'post 9999', overall: 'unlabeled' }],
        // A search no text holds reads every post's text: the queue's worst case.
        ['labels.queue', { projectId, search: 'no post says this' }],
        ['labels.queue', { projectId, disagree: true, conflicts: true, pseudo: true }],
        ['labels.queue', { projectId, order: 'suggested' }],
        ['labels.undoState', { projectId, annotator: 'bench' }],
        ['features.encoders', {}],
        ['review.bulkPreview', { runId, minConfidence: 0.5 }],
        ['predict.list', { projectId }],
        ['runs.presets', undefined],
        ['runs.start', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'draw', n: 600 }, seed: 1 }],
      ]
      const figures: Figure[] = []
      try {
        for (const [method, payload] of requests) {
          // The second of two: the first may describe the encoder pair in a worker or warm a cache.
          for (const pass of ['first', 'second'] as const) {
            const trace = new StallTrace()
            const started = performance.now()
            let result: unknown
            const worst = await trace.watch(async () => {
              const reply = await backend.dispatch(method, payload)
              if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
              result = reply.result
            })
            const answered = performance.now() - started
            trace.close()
            if (method === 'runs.start') await cancelled(backend, (result as { runId: number }).runId)
            else if (pass === 'first') continue
            // A method asked several ways is told apart by its payload.
            const what =
              method === 'runs.start'
                ? `runs.start (${pass === 'first' ? 'the first: starts the spawner thread' : 'again'})`
                : requests.filter(([m]) => m === method).length > 1
                  ? `${method} ${JSON.stringify(payload)}`
                  : method
            figures.push(
              { bench: 'calls', metric: `${what}: longest event-loop stall`, value: worst.wall, unit: 'ms', target: '≤ 50 ms' },
              { bench: 'calls', metric: `${what}: answered in`, value: answered, unit: 'ms' },
            )
          }
        }
      } finally {
        backend.close()
      }
      return figures
    })
  },
}
