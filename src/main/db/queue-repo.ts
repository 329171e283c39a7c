import type { Database } from 'better-sqlite3'
import type { QueueCursor, QueueFilter, QueueItem, QueueOrder, QueuePage, QueueRequest, Suggestion } from '#shared/labeling'
import type { PostsRepo } from './posts-repo'
import { StatementCache } from './statement-cache'
import { likePattern, TEXT_LIKE } from './text-search'
import type { SuggestionsRepo } from './suggestions-repo'

/**
 * One stretch of a queue's order: rows meeting `where`, sorted by `key`. An order is a list of
 * segments (unlabeled-first has two), and a cursor names a segment and a key inside it. Paging by
 * key, not offset, keeps "the next post" right while labels move posts between segments.
 */
interface Segment {
  where: string
  key: 'p.id' | 's.rank'
}

const SEGMENTS: Record<QueueOrder, Segment[]> = {
  id: [{ where: '1', key: 'p.id' }],
  'unlabeled-first': [
    { where: 'p.label_overall IS NULL', key: 'p.id' },
    { where: 'p.label_overall IS NOT NULL', key: 'p.id' },
  ],
  suggested: [{ where: '1', key: 's.rank' }],
}

interface Params {
  projectId: number
  batchId: number | null
  split: string | null
  overall: string | null
  pattern: string | null
  key: number
  limit: number
}

function filterSql(filter: QueueFilter): string {
  const where = ['p.project_id = @projectId']
  if (filter.split) where.push('p.split = @split')
  if (filter.overall === 'unlabeled') where.push('p.label_overall IS NULL')
  else if (filter.overall) where.push('p.label_overall = @overall')
  if (filter.disagree) where.push('p.label_text <> p.label_image')
  if (filter.search) where.push(TEXT_LIKE)
  if (filter.pseudo) where.push('EXISTS (SELECT 1 FROM pseudo_labels pl WHERE pl.post_id = p.id)')
  if (!filter.conflicts && filter.split !== 'conflict') where.push("p.conflict = 0 AND p.split <> 'conflict'")
  return where.join(' AND ')
}

/** Posts in the order a filter gives, a few at a time from a place. */
export class QueueRepo {
  private readonly statements: StatementCache

  constructor(
    db: Database,
    private readonly posts: PostsRepo,
    private readonly suggestions: SuggestionsRepo,
  ) {
    this.statements = new StatementCache(db)
  }

  page(req: QueueRequest): QueuePage {
    const order = req.order ?? 'unlabeled-first'
    const segments = SEGMENTS[order]
    const batchId = order === 'suggested' ? this.suggestions.latestBatch(req.projectId) : null
    const params: Params = {
      projectId: req.projectId,
      batchId,
      split: req.split ?? null,
      overall: req.overall && req.overall !== 'unlabeled' ? req.overall : null,
      pattern: req.search ? likePattern(req.search) : null,
      key: 0,
      limit: req.limit ?? 10,
    }
    const from = order === 'suggested' ? 'posts p JOIN suggestions s ON s.post_id = p.id AND s.batch_id = @batchId' : 'posts p'
    const filter = filterSql(req)
    const forward = req.direction !== 'prev'
    const start = req.cursor ?? (req.at !== undefined ? this.cursorOf(req.projectId, order, batchId, req.at) : null)
    const inclusive = req.cursor === undefined && start !== null

    const found: Array<{ id: number; cursor: QueueCursor }> = []
    // Walk the segments from the cursor's one, forwards or backwards, until the page is full.
    const indexes = segments.map((_, i) => i)
    if (!forward) indexes.reverse()
    for (const segment of indexes) {
      if (found.length >= params.limit || (batchId === null && order === 'suggested')) break
      if (start && (forward ? segment < start.segment : segment > start.segment)) continue
      const { where, key } = segments[segment]!
      const bounded = start?.segment === segment
      const comparison = `${key} ${forward ? '>' : '<'}${inclusive ? '=' : ''} @key`
      const sql = `SELECT p.id AS id, ${key} AS k FROM ${from} WHERE ${filter} AND ${where}${bounded ? ` AND ${comparison}` : ''}
        ORDER BY ${key} ${forward ? 'ASC' : 'DESC'} LIMIT @limit`
      const rows = this.statements.get(sql).all({ ...params, key: start?.key ?? 0, limit: params.limit - found.length }) as Array<{ id: number; k: number }>
      for (const r of rows) found.push({ id: r.id, cursor: { segment, key: r.k } })
    }
    const suggestion = batchId === null ? () => null : (postId: number): Suggestion | null => this.suggestions.forPost(batchId, postId)
    const items: QueueItem[] = found.map(({ id, cursor }) => ({ post: this.posts.get(req.projectId, id)!, cursor, suggestion: suggestion(id) }))
    const total = req.withTotal ? (this.statements.get(`SELECT count(*) AS n FROM ${from} WHERE ${filter}`).get(params) as { n: number }).n : null
    return { items, total }
  }

  /** A post's place in an order; null when it has none there (not in the suggestion batch). */
  private cursorOf(projectId: number, order: QueueOrder, batchId: number | null, postId: number): QueueCursor | null {
    if (order === 'suggested') {
      const rank = batchId === null ? undefined : this.suggestions.forPost(batchId, postId)?.rank
      return rank === undefined ? null : { segment: 0, key: rank }
    }
    if (order === 'id') return { segment: 0, key: postId }
    const labels = this.posts.get(projectId, postId)?.labels
    return { segment: labels?.overall ? 1 : 0, key: postId }
  }
}
