// Rows of a long list fetched page by page on demand: only pages someone looks at are asked for,
// a page already on its way is not asked for twice, and a bounded number stay in memory.
// Plain, non-reactive data: the owner is told when something changed and re-renders once.
import { LruCache } from './lru-cache'

export interface Page<T> {
  total: number
  rows: T[]
}

export interface PagedCacheOptions<T> {
  pageSize: number
  maxPages: number
  fetchPage(offset: number, limit: number): Promise<Page<T>>
  /** Called after a page landed (with the latest total) or a fetch failed. */
  onChange(total: number | null, error: unknown): void
}

export class PagedCache<T> {
  private readonly pages: LruCache<number, readonly T[]>
  private readonly inFlight = new Set<number>()
  /** Bumped by reset(), so answers to questions asked before it are dropped. */
  private generation = 0

  constructor(private readonly options: PagedCacheOptions<T>) {
    this.pages = new LruCache(options.maxPages)
  }

  get pageSize(): number {
    return this.options.pageSize
  }

  /** The row at `index`, or undefined while its page is not here. Marks the page as recently used. */
  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize]
  }

  /** Makes sure every page covering rows first..last (inclusive) is here or on its way. */
  ensure(first: number, last: number): void {
    for (let page = Math.floor(first / this.pageSize); page <= Math.floor(last / this.pageSize); page++) {
      if (!this.pages.has(page) && !this.inFlight.has(page)) void this.load(page)
    }
  }

  reset(): void {
    this.generation++
    this.pages.clear()
    this.inFlight.clear()
  }

  private async load(page: number): Promise<void> {
    const generation = this.generation
    this.inFlight.add(page)
    try {
      const result = await this.options.fetchPage(page * this.pageSize, this.pageSize)
      if (generation !== this.generation) return
      this.pages.set(page, result.rows)
      this.options.onChange(result.total, null)
    } catch (err) {
      if (generation === this.generation) this.options.onChange(null, err)
    } finally {
      if (generation === this.generation) this.inFlight.delete(page)
    }
  }
}
