// An export reads the store a page at a time, in post id order (keyset, not OFFSET), and lets the
// event loop turn between pages, so other requests are answered during a large export.
import { nextTurn } from '#main/core/loop-turns'

/**
 * Posts per page: a page with a run's predictions took up to ~40 ms to read and format at 1,000 (the
 * loop's longest stall over a 100,000-post export, `npm run bench stall`); a quarter of that is ~10 ms.
 */
export const EXPORT_PAGE = 250

/** The rows `read` returns after each page's last post id, a page at a time, until it returns none. */
export async function* pagesOf<R extends { postId: number }>(read: (after: number, limit: number) => R[]): AsyncGenerator<R[]> {
  for (let after = 0; ; ) {
    const page = read(after, EXPORT_PAGE)
    if (page.length === 0) return
    yield page
    after = page[page.length - 1]!.postId
    await nextTurn()
  }
}
