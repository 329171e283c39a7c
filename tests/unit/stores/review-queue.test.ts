// A run's review queue as the Review view holds it (stores/review.ts), against a real back end: a
// run of 300 pseudo-labels, pages of 100. Shown only the proposals not decided yet, a reviewer
// accepting one after another across a page boundary meets every proposal once (none skipped, none
// twice), and a key pressed while the next page loads acts on the item shown, not again on the last;
// the same decision pressed again on an item moves on and writes nothing.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { testBackend } from '../support/backend'
import { finishRun, plainRows } from '../support/finished-run'
import { wire } from '../support/in-process-api'
import { seedProject } from '../support/posts'
import { walkToEnd } from '../support/queue-walk'
import { useAnnotatorStore } from '#renderer/stores/annotator'
import { useReviewStore } from '#renderer/stores/review'

vi.mock('#renderer/api/client', () => import('../support/in-process-api'))

const POSTS = 300

describe('the run review queue', () => {
  beforeEach(() => {
    wire.backend = testBackend()
    setActivePinia(createPinia())
    // The view's order, filter and scope are remembered in the browser's storage.
    const kept = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) })
  })

  it('shows the proposals not decided yet, and accepting them in a row across pages skips none and repeats none', async () => {
    const backend = wire.backend!
    const { projectId, postIds } = seedProject(backend.store, POSTS)
    const runId = await finishRun(backend, projectId, plainRows(postIds))
    useAnnotatorStore().name = 'ann'
    const queue = useReviewStore()
    queue.open(runId)
    await vi.waitFor(() => expect([queue.loading, queue.items.length]).toEqual([false, 100]))
    // Two decided in another window before the reviewer narrows the queue.
    const [first, second] = queue.items.slice(0, 2).map((i) => i.postId)
    for (const postId of [first!, second!]) await backend.call('review.decide', { runId, postId, kind: 'reject', annotator: 'rita' })
    queue.setFilter('pending')
    await vi.waitFor(() => expect([queue.loading, queue.total]).toEqual([false, POSTS - 2]))
    expect(queue.pending).toBe(POSTS - 2)

    // A, 97 times without waiting: the next page is asked for at the 95th, while decisions are still on their way.
    const decided = queue.items.slice(0, 97).map((i) => i.postId)
    for (let i = 0; i < 97; i++) queue.decide('accept')
    await vi.waitFor(() => expect(queue.loading).toBe(false))
    expect(queue.pending).toBe(POSTS - 2 - 97)
    await walkToEnd(queue, 2 * POSTS)
    const seen = queue.items.map((i) => i.postId)
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort((a, b) => a - b)).toEqual(postIds.filter((id) => id !== first && id !== second))
    // Each of the 97 was accepted once, in order: none acted on twice while the page loaded.
    await vi.waitFor(() => expect(backend.store.db.prepare("SELECT count(*) AS n FROM review_decisions WHERE run_id = ? AND kind = 'accepted'").get(runId)).toEqual({ n: 97 }))
    expect(queue.items.filter((i) => i.decision?.kind === 'accepted').map((i) => i.postId)).toEqual(decided)
  })

  it('the same decision again moves on and writes nothing; another one replaces it', async () => {
    const backend = wire.backend!
    const { projectId, postIds } = seedProject(backend.store, 20)
    const runId = await finishRun(backend, projectId, plainRows(postIds))
    useAnnotatorStore().name = 'ann'
    const queue = useReviewStore()
    queue.open(runId)
    await vi.waitFor(() => expect([queue.loading, queue.items.length]).toEqual([false, 20]))
    const rows = () => backend.store.db.prepare('SELECT kind, state FROM review_decisions WHERE run_id = ? ORDER BY id').all(runId)
    queue.decide('reject')
    queue.goTo(0)
    queue.decide('reject')
    expect(queue.index).toBe(1)
    queue.goTo(0)
    queue.decide('accept')
    await vi.waitFor(() => expect(rows()).toEqual([{ kind: 'rejected', state: 'replaced' }, { kind: 'accepted', state: 'done' }]))
    expect(queue.pending).toBe(19)
  })
})
