// The label check's queue as the Review view holds it (stores/label-check.ts), against a real back
// end: a check that lists more posts than one page (450, pages of 200). The reviewer sees how many
// are left to decide in the whole list, reaches every listed post with the arrow keys, and an undo
// far down the list puts the item back where it was; a decision made in another window is counted.
// Shown only the posts to decide, a reviewer deciding fast across a page boundary meets every one of
// them once: none skipped, none twice; a filter chosen while a decision is on its way lists what that
// decision left.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Backend } from '#main/app/backend'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { testBackend } from '../support/backend'
import { wire } from '../support/in-process-api'
import { trainingProject } from '../support/training-project'
import { walkToEnd } from '../support/queue-walk'
import { useAnnotatorStore } from '#renderer/stores/annotator'
import { useLabelCheckStore } from '#renderer/stores/label-check'

vi.mock('#renderer/api/client', () => import('../support/in-process-api'))


const LISTED = 450

/** A finished check listing `LISTED` posts of a project, ranked in post order. */
async function listedCheck(backend: Backend): Promise<{ projectId: number; checkId: number; postIds: number[] }> {
  const { projectId, postIds } = trainingProject(backend.store, { posts: LISTED, features: false })
  const checkId = backend.store.labelChecks.create(projectId, 'default-v2', {})
  const items = postIds.map((postId, i) => {
    const given = backend.store.annotations.latest(postId, 'overall')!.label as Sentiment
    const suggested = CONFUSION_ORDER[(CONFUSION_ORDER.indexOf(given) + 1) % 3]!
    return { postId, rank: i + 1, given, givenAnnotationId: null, suggested, probabilities: { negative: 0.2, neutral: 0.2, positive: 0.2, [suggested]: 0.6 }, margin: -0.4 }
  })
  await backend.store.labelChecks.finish(checkId, LISTED, items)
  return { projectId, checkId, postIds }
}

describe('the label check queue in the Review view', () => {
  beforeEach(() => {
    wire.backend = testBackend()
    setActivePinia(createPinia())
  })

  it('counts the whole list, reaches every listed post and undoes in place past the first page', async () => {
    const { projectId, checkId, postIds } = await listedCheck(wire.backend!)
    useAnnotatorStore().name = 'ann'
    const queue = useLabelCheckStore()
    await queue.open(projectId, checkId)
    expect(queue.total).toBe(LISTED)
    expect(queue.pending).toBe(LISTED)
    expect(queue.atEnd).toBe(false)

    // ↓ 250 times: the list grows as the reviewer nears the loaded end.
    for (let i = 0; i < 250; i++) await queue.move(1)
    expect(queue.index).toBe(250)
    expect(queue.current?.postId).toBe(postIds[250])

    queue.decide('keep')
    expect(queue.pending).toBe(LISTED - 1)
    expect(queue.current?.postId).toBe(postIds[251])
    await vi.waitFor(() => expect(wire.backend!.store.labelChecks.summary(checkId)?.pending).toBe(LISTED - 1))

    await queue.undo()
    expect(queue.index).toBe(250)
    expect(queue.current).toMatchObject({ postId: postIds[250], decision: null })
    expect(queue.pending).toBe(LISTED)

    // Another window keeps a label: this one counts it.
    await wire.backend!.call('labelCheck.decide', { checkId, postId: postIds[3]!, kind: 'keep', annotator: 'rita' })
    await vi.waitFor(() => expect(queue.pending).toBe(LISTED - 1))

    // The end of the list is reachable, and nothing lies past it.
    await walkToEnd(queue, 2 * LISTED)
    expect(queue.index).toBe(LISTED - 1)
    expect(queue.current?.postId).toBe(postIds[LISTED - 1])
    expect(queue.atEnd).toBe(true)
    expect(queue.items.map((item) => item.postId)).toEqual(postIds)
  })

  it('shows only the posts to decide, and deciding them in a row across pages skips none and repeats none', async () => {
    const { projectId, checkId, postIds } = await listedCheck(wire.backend!)
    useAnnotatorStore().name = 'ann'
    const queue = useLabelCheckStore()
    await queue.open(projectId, checkId)
    for (const postId of [postIds[0]!, postIds[250]!]) await wire.backend!.call('labelCheck.decide', { checkId, postId, kind: 'keep', annotator: 'rita' })
    await queue.setFilter('pending')
    expect(queue.total).toBe(LISTED - 2)
    expect(queue.current?.postId).toBe(postIds[1])

    // K on the first 196 of the list: each decision moves on, and the next page is asked for after them.
    for (let i = 0; i < 196; i++) queue.decide('keep')
    await vi.waitFor(() => expect([queue.index, queue.loading]).toEqual([196, false]))
    await walkToEnd(queue, 2 * LISTED)
    const seen = queue.items.map((item) => item.postId)
    expect(seen).toEqual(postIds.filter((id) => id !== postIds[0] && id !== postIds[250]))
    expect(queue.pending).toBe(LISTED - 2 - 196)
    expect(wire.backend!.store.labelChecks.summary(checkId)?.pending).toBe(LISTED - 2 - 196)
  })

  it('a filter chosen while a decision and the next page are on their way shows that filter as the decision left it, and only it', async () => {
    const { projectId, checkId, postIds } = await listedCheck(wire.backend!)
    useAnnotatorStore().name = 'ann'
    const queue = useLabelCheckStore()
    await queue.open(projectId, checkId)
    await queue.setFilter('pending')
    // A decision on its way holds the next page back (it must land first); the reviewer picks "Decided" meanwhile.
    queue.goTo(190)
    queue.decide('keep')
    const moving = queue.move(9)
    expect(queue.loading).toBe(true)
    await queue.setFilter('decided')
    await moving
    await vi.waitFor(() => expect(queue.loading).toBe(false))
    expect(queue.items.map((i) => i.postId)).toEqual([postIds[190]])
    expect([queue.index, queue.total, queue.atEnd]).toEqual([0, 1, true])
  })
})
