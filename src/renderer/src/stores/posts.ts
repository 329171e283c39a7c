// The grid's rows: one filtered query over a project's posts, paged in on demand.
// Rows live in a plain page cache (no reactive proxy per post, which 100,000 posts could not
// afford); `revision` is the one reactive signal that something landed.
import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { PostQuery, PostRow } from '#shared/projects'
import { api, errorMessage } from '../api/client'
import { PagedCache } from '../lib/paged-cache'

export type PostFilter = Pick<PostQuery, 'split' | 'overall' | 'predicted' | 'search'>

const PAGE_SIZE = 100
const MAX_PAGES = 20

export const usePostsStore = defineStore('posts', () => {
  const projectId = ref<number | null>(null)
  const filter = shallowRef<PostFilter>({})
  /** Posts matching the query; null until the first page answers. */
  const total = ref<number | null>(null)
  const revision = ref(0)
  const error = ref<string | null>(null)
  let visible: [number, number] = [0, 0]

  const cache = markRaw(
    new PagedCache<PostRow>({
      pageSize: PAGE_SIZE,
      maxPages: MAX_PAGES,
      fetchPage: (offset, limit) => api.call('posts.page', { projectId: projectId.value!, ...filter.value, offset, limit }),
      onChange(latestTotal, err) {
        if (latestTotal !== null) total.value = latestTotal
        error.value = err === null ? null : errorMessage(err)
        revision.value++
      },
    }),
  )

  function reload(): void {
    cache.reset()
    revision.value++
    cache.ensure(...visible)
  }

  function open(id: number, nextFilter: PostFilter = {}): void {
    projectId.value = id
    filter.value = nextFilter
    total.value = null
    visible = [0, 0]
    reload()
  }

  /** Fetches what the grid shows now: called with the first and last visible row index. */
  function show(first: number, last: number): void {
    visible = [first, last]
    cache.ensure(first, last)
  }

  /** A row, or undefined while its page loads; reading it subscribes the caller to `revision`. */
  function row(index: number): PostRow | undefined {
    void revision.value
    return cache.row(index)
  }

  return { projectId, filter, total, revision, error, open, reload, show, row }
})
