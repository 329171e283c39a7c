// The labeling view's requests at 100,000 posts, through `dispatch` as both shells call it:
// a keypress's label from request to committed reply, and the next post from the queue.
import { mkdtempSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Backend } from '#main/app/backend'
import { startServer } from '#main/server/index'
import type { Method, Req } from '#shared/contract'
import type { QueueCursor, QueueFilter } from '#shared/labeling'
import { SENTIMENTS } from '#shared/vocabulary'
import { filledBackend, POSTS } from './fixture'
import { idle, quantile, timeManyAsync, withScratch, type Bench, type Figure } from './harness'

const ANNOTATOR = 'bench-annotator'
/** Posts the view keeps ready ahead of the one on screen. */
const AHEAD = 5

async function ok(backend: Backend, method: Method, payload: unknown): Promise<unknown> {
  const reply = await backend.dispatch(method, payload)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.result
}

/** Median, p95 and p99 of a sorted list of milliseconds. */
function spread(metric: string, times: number[], target?: string): Figure[] {
  return [
    { bench: 'labeling', metric: `${metric}: median`, value: quantile(times, 0.5), unit: 'ms', ...(target ? { target } : {}) },
    { bench: 'labeling', metric: `${metric}: p95`, value: quantile(times, 0.95), unit: 'ms' },
    { bench: 'labeling', metric: `${metric}: p99`, value: quantile(times, 0.99), unit: 'ms' },
  ]
}

export const labeling: Bench = {
  name: 'labeling',
  async run() {
    return withScratch(async (dir) => {
      const { backend, projectId } = filledBackend(dir, 'labeling')
      const figures: Figure[] = []
      // Posts spread over the whole table, as a queue with filters visits them.
      const postAt = (i: number): number => 1 + ((i * 7919) % POSTS)
      const labelRequest = (i: number): Req<'labels.set'> => ({
        projectId,
        postId: postAt(i),
        modality: 'overall',
        label: SENTIMENTS[i % 3]!,
        annotator: ANNOTATOR,
      })

      figures.push(
        ...spread(`keypress → saved (labels.set, committed) at ${POSTS} posts`, await timeManyAsync(2000, (i) => ok(backend, 'labels.set', labelRequest(i))), '< 16 ms'),
        ...spread('undo (labels.undo)', await timeManyAsync(300, () => ok(backend, 'labels.undo', { projectId, annotator: ANNOTATOR }))),
        ...spread('redo (labels.redo)', await timeManyAsync(300, () => ok(backend, 'labels.redo', { projectId, annotator: ANNOTATOR }))),
        ...spread('WAL checkpoint after a label (deferred: between keypresses)', await timeCheckpoints(backend, labelRequest)),
        ...spread('open a post with its history (labels.post)', await timeManyAsync(500, (i) => ok(backend, 'labels.post', { projectId, postId: postAt(i) }))),
      )

      const queues: Array<[string, QueueFilter]> = [
        ['unlabeled first', {}],
        ['import order', { order: 'id' }],
        ['split = test', { order: 'id', split: 'test' }],
        ['overall = negative', { order: 'id', overall: 'negative' }],
        ['text ≠ image', { disagree: true }],
        ['text search "number 99"', { search: 'number 99' }],
      ]
      for (const [name, filter] of queues) {
        let cursor: QueueCursor | undefined
        const times = await timeManyAsync(300, async () => {
          const page = (await ok(backend, 'labels.queue', { projectId, ...filter, cursor, limit: AHEAD })) as { items: Array<{ cursor: QueueCursor }> }
          cursor = page.items[page.items.length - 1]?.cursor
        })
        figures.push(...spread(`next post (labels.queue, ${AHEAD} ahead), ${name}`, times, '< 16 ms'))
      }

      const once = async (metric: string, method: Method, payload: unknown): Promise<void> => {
        const times = await timeManyAsync(5, () => ok(backend, method, payload), 1)
        figures.push({ bench: 'labeling', metric: `${metric}: median`, value: quantile(times, 0.5), unit: 'ms' })
      }
      await once('progress panel (labels.progress)', 'labels.progress', { projectId })
      await once('agreement (labels.agreement)', 'labels.agreement', { projectId })
      await once('suggest 50, stratified (labels.suggest)', 'labels.suggest', { projectId, strategy: 'stratified', count: 50, seed: 1 })

      figures.push(...(await overHttp(backend, labelRequest)))
      backend.close()
      return figures
    })
  },
}

/** What the deferred checkpoint costs the event loop after each label, measured by running it by hand. */
async function timeCheckpoints(backend: Backend, labelRequest: (i: number) => Req<'labels.set'>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < 300; i++) {
    await ok(backend, 'labels.set', labelRequest(20_000 + i))
    const t = process.hrtime.bigint()
    backend.store.db.pragma('wal_checkpoint(PASSIVE)')
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
    await idle()
  }
  return times.sort((a, b) => a - b)
}

/** The same label request in browser mode, through HTTP on loopback and back. */
async function overHttp(backend: Backend, labelRequest: (i: number) => Req<'labels.set'>): Promise<Figure[]> {
  const rendererDir = mkdtempSync(path.join(path.dirname(backend.store.path), 'renderer-'))
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>')
  const server = await startServer({ backend, rendererDir, port: 0 })
  try {
    const times = await timeManyAsync(500, async (i) => {
      const response = await fetch(`${server.url}api/labels.set`, {
        method: 'POST',
        // Every request carries the server's token, on loopback too (docs/SECURITY.md).
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
        body: JSON.stringify(labelRequest(10_000 + i)),
      })
      const reply = (await response.json()) as { ok: boolean; error?: { message: string } }
      if (!reply.ok) throw new Error(`labels.set over HTTP failed (${response.status}): ${reply.error?.message ?? JSON.stringify(reply)}`)
    })
    return spread('keypress → saved over HTTP (browser mode)', times, '< 16 ms')
  } finally {
    await server.close()
  }
}
