// A store's labels as the posts carry them, checked against the counts the triggers keep: what a
// test that kills a writer compares before and after.
import type { Store } from '#main/db/store'

const all = (store: Store, sql: string): unknown[] => store.db.prepare(sql).all()

/** The labels per post, and the counts table the triggers keep, which must agree with them. */
export function labelState(store: Store): { labels: unknown[]; countsAgree: boolean } {
  const labels = all(store, 'SELECT external_id, label_overall, label_text, label_image FROM posts ORDER BY external_id')
  const kept = all(store, 'SELECT project_id, modality, label, n FROM label_counts WHERE n > 0 ORDER BY project_id, modality, label')
  const counted = all(
    store,
    `SELECT project_id, modality, label, count(*) AS n FROM (
       SELECT project_id, 'image' AS modality, label_image AS label FROM posts UNION ALL
       SELECT project_id, 'overall', label_overall FROM posts UNION ALL
       SELECT project_id, 'text', label_text FROM posts) WHERE label IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  )
  return { labels, countsAgree: JSON.stringify(kept) === JSON.stringify(counted) }
}
