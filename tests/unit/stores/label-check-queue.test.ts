// The label check's queue as the Review view holds it (stores/label-check.ts), against a real back
// end: a check that lists more posts than one page (450, pages of 200). The reviewer sees how many
// are left to decide in the whole list, reaches every listed post with the arrow keys, and an undo
// far down the list puts the item back where it was; a decision made in another window is counted.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { EventName, Method, Req } from '#shared/contract'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { testBackend } from '../support/backend'
import { trainingProject } from '../support/training-project'

const wire = vi.hoisted(() => ({ backend: null as Backend | null }))

// The UI's one API client, speaking to the test's back end in-process instead of over IPC or HTTP.
vi.mock('#renderer/api/client', () => ({
  api: {
    call: (method: Method, payload: Req<Method>) => wire.backend!.call(method, payload),
    on: (name: EventName, listener: (payload: unknown) => void) =>
      wire.backend!.events.subscribe((event, payload) => {
        if (event === name) listener(payload)
      }),
  },
  errorMessage: (err: unknown) => (err instanceof Error ? err.message : String(err)),
  mediaUrl: (path: string) => path,
}))

const { useLabelCheckStore } = await import('#renderer/stores/label-check')
const { useAnnotatorStore } = await import('#renderer/stores/annotator')

const LISTED = 450

/** A finished check listing `LISTED` posts of a project, ranked in post order. */
function listedCheck(backend: Backend): { projectId: number; checkId: number; postIds: number[] } {
  const { projectId, postIds } = trainingProject(backend.store, { posts: LISTED, features: false })
  const checkId = backend.store.labelChecks.create(projectId, 'default-v2', {})
  const items = postIds.map((postId, i) => {
    const given = backend.store.annotations.latest(postId, 'overall')!.label as Sentiment
    const suggested = CONFUSION_ORDER[(CONFUSION_ORDER.indexOf(given) + 1) % 3]!
    return { postId, rank: i + 1, given, givenAnnotationId: null, suggested, probabilities: { negative: 0.2, neutral: 0.2, positive: 0.2, [suggested]: 0.6 }, margin: -0.4 }
  })
  backend.store.labelChecks.finish(checkId, LISTED, items)
  return { projectId, checkId, postIds }
}

describe('the label check queue in the Review view', () => {
  beforeEach(() => {
    wire.backend = testBackend()
    setActivePinia(createPinia())
  })

  it('counts the whole list, reaches every listed post and undoes in place past the first page', async () => {
    const { projectId, checkId, postIds } = listedCheck(wire.backend!)
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
    for (let i = 0; i < LISTED; i++) await queue.move(1)
    expect(queue.index).toBe(LISTED - 1)
    expect(queue.current?.postId).toBe(postIds[LISTED - 1])
    expect(queue.atEnd).toBe(true)
    expect(queue.items.map((item) => item.postId)).toEqual(postIds)
  })
})
