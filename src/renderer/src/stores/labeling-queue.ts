// The labeling session's queue: the post on screen, the queue ahead of it (fetched before it is
// needed, so moving on never waits for the back end) and the posts seen (← retraces them). The
// labels themselves go through stores/labeling-writes.ts.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { LabelingPost, PostLabels, QueueCursor, QueueFilter, Suggestion } from '#shared/labeling'
import type { PostRow } from '#shared/projects'
import { api, errorMessage, mediaUrl } from '../api/client'
import { debounce } from '../lib/debounce'
import { LruCache } from '../lib/lru-cache'
import { labelHref } from '../router'

/** A post as the session holds it; `cursor` is null for a post outside the queue (a jump). */
export interface Shown {
  post: PostRow
  cursor: QueueCursor | null
  suggestion: Suggestion | null
}

/** Posts kept ready ahead of the one on screen (rows, labels and images). */
const AHEAD = 5
const FILTER_KEY = (projectId: number): string => `common-ground.queue.${projectId}`

export const useLabelingQueueStore = defineStore('labeling-queue', () => {
  const projectId = ref<number | null>(null)
  const filter = shallowRef<QueueFilter>({})
  const total = ref<number | null>(null)
  const current = shallowRef<Shown | null>(null)
  const detail = shallowRef<LabelingPost | null>(null)
  const ahead = shallowRef<Shown[]>([])
  const atEnd = ref(false)
  const loading = ref(false)
  const notice = ref<string | null>(null)
  const queueError = ref<string | null>(null)

  /** The posts shown so far, in order, and where in that trail the one on screen is. */
  const trail = shallowRef<Shown[]>([])
  const pos = ref(-1)
  /** What "next" shows, in order: the trail ahead of the post on screen, then the queue. */
  const upcoming = computed(() => [...trail.value.slice(pos.value + 1), ...ahead.value])
  let generation = 0
  const details = new LruCache<number, LabelingPost>(64)

  function storedFilter(id: number): QueueFilter {
    try {
      return JSON.parse(localStorage.getItem(FILTER_KEY(id)) ?? '{}') as QueueFilter
    } catch {
      return {}
    }
  }

  async function queuePage(extra: { cursor?: QueueCursor; at?: number; direction?: 'next' | 'prev'; limit: number; withTotal?: boolean }) {
    return api.call('labels.queue', { projectId: projectId.value!, ...filter.value, ...extra })
  }

  /** Counts the queue again (a label may have taken a post out of it). */
  const refreshTotal = debounce(async () => {
    const asked = generation
    try {
      const page = await queuePage({ limit: 1, withTotal: true })
      if (asked === generation) total.value = page.total
    } catch {
      // The count is a nicety; the queue itself reports its errors.
    }
  }, 500)

  /** Starts the session at the queue's first post, or at `postId` (a jump from the grid or a link). */
  async function open(id: number, postId: number | null): Promise<void> {
    if (projectId.value !== id) {
      projectId.value = id
      filter.value = storedFilter(id)
      details.clear()
    }
    await restart(postId)
  }

  async function setFilter(next: QueueFilter): Promise<void> {
    filter.value = next
    localStorage.setItem(FILTER_KEY(projectId.value!), JSON.stringify(next))
    await restart(null)
  }

  async function restart(postId: number | null): Promise<void> {
    const asked = ++generation
    loading.value = true
    queueError.value = null
    notice.value = null
    try {
      const page = await queuePage({ ...(postId === null ? {} : { at: postId }), limit: AHEAD + 1, withTotal: true })
      if (asked !== generation) return
      total.value = page.total
      let first: Shown | undefined = page.items[0]
      let rest = page.items.slice(1)
      if (postId !== null && first?.post.id !== postId) {
        // The post is not in this queue: show it anyway; "next" continues from its place.
        const outside = await fetchDetail(postId)
        if (asked !== generation) return
        rest = page.items
        first = { post: outside.post, cursor: null, suggestion: null }
        notice.value = `Post ${outside.post.externalId} is not in this queue; next continues from its place.`
      }
      trail.value = first ? [first] : []
      pos.value = first ? 0 : -1
      ahead.value = rest
      atEnd.value = page.items.length < AHEAD + 1
      if (first) await show(first)
      else current.value = null
      prefetch()
    } catch (err) {
      if (asked === generation) queueError.value = errorMessage(err)
    } finally {
      if (asked === generation) loading.value = false
    }
  }

  /** Keeps AHEAD posts ready after the last one shown from the queue. */
  async function fillAhead(): Promise<void> {
    if (atEnd.value || ahead.value.length >= AHEAD) return
    const from = ahead.value[ahead.value.length - 1]?.cursor ?? lastQueueCursor()
    const asked = generation
    try {
      const page = await queuePage({ ...(from ? { cursor: from } : {}), limit: AHEAD })
      if (asked !== generation) return
      const known = new Set([...trail.value, ...ahead.value].map((s) => s.post.id))
      ahead.value = [...ahead.value, ...page.items.filter((i) => !known.has(i.post.id))]
      if (page.items.length < AHEAD) atEnd.value = true
      prefetch()
    } catch (err) {
      if (asked === generation) queueError.value = errorMessage(err)
    }
  }

  const lastQueueCursor = (): QueueCursor | undefined => [...trail.value].reverse().find((s) => s.cursor)?.cursor ?? undefined

  /** Details and images of the posts ahead, so showing one is immediate. */
  function prefetch(): void {
    for (const item of ahead.value) {
      if (!details.has(item.post.id)) void fetchDetail(item.post.id).catch(() => undefined)
      new Image().src = mediaUrl(item.post.image)
    }
  }

  async function fetchDetail(postId: number): Promise<LabelingPost> {
    const fetched = await api.call('labels.post', { projectId: projectId.value!, postId })
    details.set(postId, fetched)
    return fetched
  }

  // ---- moving ------------------------------------------------------------------------------

  async function show(item: Shown): Promise<void> {
    current.value = item
    detail.value = details.get(item.post.id) ?? null
    // The address follows the post without a hashchange, so a reload comes back to it.
    history.replaceState(null, '', labelHref(projectId.value!, item.post.id))
    try {
      const fresh = await fetchDetail(item.post.id)
      if (current.value?.post.id === item.post.id) setShownLabels(item.post.id, fresh.labels, fresh)
    } catch (err) {
      queueError.value = errorMessage(err)
    }
  }

  async function next(): Promise<void> {
    notice.value = null
    if (pos.value < trail.value.length - 1) return show(trail.value[++pos.value]!)
    if (ahead.value.length === 0) await fillAhead()
    const [item, ...rest] = ahead.value
    if (!item) {
      notice.value = 'End of this queue.'
      return
    }
    ahead.value = rest
    trail.value = [...trail.value, item]
    pos.value = trail.value.length - 1
    void fillAhead()
    return show(item)
  }

  async function skip(): Promise<void> {
    const skipped = current.value?.post.externalId
    await next()
    if (skipped && !notice.value) notice.value = `Skipped post ${skipped}.`
  }

  async function prev(): Promise<void> {
    notice.value = null
    if (pos.value > 0) return show(trail.value[--pos.value]!)
    const first = trail.value[0]
    const page = first?.cursor ? await queuePage({ cursor: first.cursor, direction: 'prev', limit: 1 }) : null
    const item = page?.items[0]
    if (!item) {
      notice.value = 'Start of this queue.'
      return
    }
    trail.value = [item, ...trail.value]
    pos.value = 0
    return show(item)
  }

  /** Shows `postId`: from the trail or the queue ahead when it is there, else by starting over at its place. */
  async function goTo(postId: number): Promise<void> {
    const index = trail.value.findIndex((s) => s.post.id === postId)
    if (index >= 0) {
      pos.value = index
      return show(trail.value[index]!)
    }
    const queued = ahead.value.findIndex((s) => s.post.id === postId)
    if (queued < 0) return restart(postId)
    const item = ahead.value[queued]!
    ahead.value = ahead.value.slice(queued + 1)
    trail.value = [...trail.value, item]
    pos.value = trail.value.length - 1
    void fillAhead()
    return show(item)
  }

  // ---- labels as stored --------------------------------------------------------------------

  /** Puts fresh labels on every copy of the post the session holds. */
  function setShownLabels(postId: number, labels: PostLabels, fresh?: LabelingPost): void {
    const cached = fresh ?? details.get(postId)
    if (cached) details.set(postId, { ...cached, post: { ...cached.post, labels: labels.labels }, labels })
    const relabel = (s: Shown): Shown => (s.post.id === postId ? { ...s, post: { ...s.post, labels: labels.labels } } : s)
    trail.value = trail.value.map(relabel)
    if (current.value?.post.id === postId) {
      current.value = trail.value[pos.value] ?? relabel(current.value)
      detail.value = details.get(postId) ?? null
    }
  }

  /** Someone else changed `postId`: forget the cached copy, and fetch it again if it is on screen. */
  function refreshPost(postId: number): void {
    if (details.has(postId)) details.delete(postId)
    if (current.value?.post.id === postId) void fetchDetail(postId).then((fresh) => setShownLabels(postId, fresh.labels, fresh))
  }

  return {
    projectId,
    filter,
    total,
    current,
    detail,
    upcoming,
    atEnd,
    loading,
    notice,
    queueError,
    open,
    setFilter,
    next,
    prev,
    skip,
    goTo,
    setShownLabels,
    refreshPost,
    refreshTotal,
  }
})
