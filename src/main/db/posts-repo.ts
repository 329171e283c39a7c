import type { Database, Statement } from 'better-sqlite3'
import { POSTS_PAGE_TEXT_MAX, type PostPage, type PostQuery, type PostRow } from '#shared/projects'
import type { LabelSet, Sentiment, Split } from '#shared/vocabulary'
import { sourceMediaPath, thumbMediaPath } from '#main/media/media-path'
import { thumbnailFileName } from '#main/media/thumbnails'
import { StatementCache } from './statement-cache'
import { likePattern, TEXT_LIKE } from './text-search'
import { nextTurn } from '#main/core/loop-turns'

interface Row {
  id: number
  project_id: number
  source_id: number
  external_id: string
  text: string
  image_path: string
  image_hash: string
  width: number
  height: number
  split: Split
  conflict: number
  label_overall: Sentiment | null
  label_text: Sentiment | null
  label_image: Sentiment | null
  prediction_set?: number | null
  prediction_label?: Sentiment | null
  prediction_confidence?: number | null
}

/** Rows per page of `externalIds`: ~5 ms of the loop each. */
const EXTERNAL_IDS_PAGE = 4096

/** A post as the importer hands it over, validated and with its image already hashed. */
export interface NewPost {
  externalId: string
  text: string
  imagePath: string
  imageHash: string
  width: number
  height: number
  split: Split
  conflict: boolean
}

function toPostRow(r: Row): PostRow {
  const labels: LabelSet = { overall: r.label_overall, text: r.label_text, image: r.label_image }
  return {
    id: r.id,
    externalId: r.external_id,
    text: r.text,
    split: r.split,
    conflict: r.conflict === 1,
    labels,
    thumb: thumbMediaPath(r.project_id, thumbnailFileName(r.image_hash)),
    image: sourceMediaPath(r.project_id, r.source_id, r.image_path),
    width: r.width,
    height: r.height,
    ...(r.prediction_set !== undefined
      ? { prediction: r.prediction_set === null ? null : { setId: r.prediction_set, label: r.prediction_label!, confidence: r.prediction_confidence! } }
      : {}),
  }
}

const COLUMNS = `p.id, p.project_id, p.source_id, p.external_id, p.text, p.image_path, p.image_hash,
  p.width, p.height, p.split, p.conflict, p.label_overall, p.label_text, p.label_image`

/** A project's latest finished prediction set (a set still being written has its writer's pid). */
const LATEST_SET = 'SELECT max(id) AS id FROM prediction_sets WHERE project_id = ? AND writer_pid IS NULL'

/**
 * The grid's filters as SQL: the rows walked (`from`), the conditions, and the post id column in the
 * order the walk gives. By the prediction alone, the set's own rows are walked (the set is the
 * project's: post order, no post read; ~10 ms a page at 100,000 posts, where looking up each post's
 * prediction cost 30-50 ms); with other filters or `disagrees`, the posts that pass them, each
 * looking up its prediction (`disagrees` ~57 ms a page with four in five posts labeled). A read-thread
 * read: off the shell's loop. `npm run bench grid`.
 */
function gridFilter(query: PostQuery): { from: string; where: string[]; id: string } {
  if (query.predicted && query.predicted !== 'disagrees' && !query.split && !query.overall && !query.search) {
    return { from: 'predictions f', where: ['f.set_id = @latest', 'f.label = @predicted'], id: 'f.post_id' }
  }
  const where: string[] = ['p.project_id = @projectId']
  if (query.split) where.push('p.split = @split')
  if (query.overall === 'unlabeled') where.push('p.label_overall IS NULL')
  else if (query.overall) where.push('p.label_overall = @overall')
  if (query.predicted === 'disagrees') where.push('p.label_overall IS NOT NULL', 'f.label <> p.label_overall')
  else if (query.predicted) where.push('f.label = @predicted')
  // A scan of the project's texts: the count and the page each read every text (79-132 ms median a
  // page at 100,000 posts, p95 up to 181 ms: `npm run bench grid`), on the read thread. FTS5 would
  // index it, at a cost to every import.
  if (query.search) where.push(`(p.external_id = @search OR ${TEXT_LIKE})`)
  // CROSS JOIN keeps the posts leading: SQLite would otherwise walk the whole set first.
  return { from: query.predicted ? 'posts p CROSS JOIN predictions f ON f.set_id = @latest AND f.post_id = p.id' : 'posts p', where, id: 'p.id' }
}

/** A grid page's columns: the text cut at POSTS_PAGE_TEXT_MAX, so one page stays small whatever was imported. */
const PAGE_COLUMNS = COLUMNS.replace('p.text,', `substr(p.text, 1, ${POSTS_PAGE_TEXT_MAX}) AS text,`)

export class PostsRepo {
  private readonly insertStmt: Statement
  private readonly externalIdsStmt: Statement<[number, number, number], { id: number; external_id: string }>
  private readonly byIdStmt: Statement<[number, number], Row>
  private readonly statements: StatementCache

  constructor(db: Database) {
    this.statements = new StatementCache(db)
    this.insertStmt = db.prepare(`INSERT INTO posts
      (project_id, source_id, external_id, text, image_path, image_hash, width, height, split, conflict)
      VALUES (@projectId, @sourceId, @externalId, @text, @imagePath, @imageHash, @width, @height, @split, @conflict)`)
    this.externalIdsStmt = db.prepare('SELECT id, external_id FROM posts WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?')
    this.byIdStmt = db.prepare(`SELECT ${COLUMNS} FROM posts p WHERE p.project_id = ? AND p.id = ?`)
  }

  /** One post of the project, or null when the project has no such post. */
  get(projectId: number, postId: number): PostRow | null {
    const row = this.byIdStmt.get(projectId, postId)
    return row ? toPostRow(row) : null
  }

  insert(projectId: number, sourceId: number, post: NewPost): number {
    const info = this.insertStmt.run({ ...post, projectId, sourceId, conflict: post.conflict ? 1 : 0 })
    return Number(info.lastInsertRowid)
  }

  /** The full texts of the project's posts with these ids (a text model reads them), in the order asked; a missing post is left out. */
  texts(projectId: number, ids: readonly number[]): { id: number; text: string }[] {
    const stmt = this.statements.get('SELECT text FROM posts WHERE project_id = ? AND id = ?')
    return ids.flatMap((id) => {
      const row = stmt.get(projectId, id) as { text: string } | undefined
      return row ? [{ id, text: row.text }] : []
    })
  }

  /**
   * The project's post ids as the input named them, read a page at a time with `turn` awaited
   * between pages: in one read, a project of 100,000 posts held the event loop 120–142 ms.
   */
  async externalIds(projectId: number, turn: () => Promise<void> = nextTurn): Promise<Set<string>> {
    const ids = new Set<string>()
    for (let after = 0; ; ) {
      const page = this.externalIdsStmt.all(projectId, after, EXTERNAL_IDS_PAGE)
      for (const row of page) ids.add(row.external_id)
      if (page.length < EXTERNAL_IDS_PAGE) return ids
      after = page[page.length - 1]!.id
      await turn()
    }
  }

  /**
   * One page of the grid. The page's ids are chosen first on a covering index, then only those
   * rows are read, so a deep offset costs an index walk, not a table scan.
   */
  page(query: PostQuery): PostPage {
    // The project's latest finished prediction set: the grid shows its labels and may filter by them.
    const latest = (this.statements.get(LATEST_SET).get(query.projectId) as { id: number | null }).id
    const { from, where, id } = gridFilter(query)
    const filter = where.join(' AND ')
    const params = {
      projectId: query.projectId,
      split: query.split ?? null,
      overall: query.overall ?? null,
      predicted: query.predicted ?? null,
      search: query.search ?? null,
      pattern: query.search ? likePattern(query.search) : null,
      latest,
      limit: query.limit,
      offset: query.offset,
    }
    const total = (this.statements.get(`SELECT count(*) AS n FROM ${from} WHERE ${filter}`).get(params) as { n: number }).n
    // Each post's prediction in that set, if any.
    const rows = this.statements.get(
      `WITH page AS (SELECT ${id} AS id FROM ${from} WHERE ${filter} ORDER BY ${id} LIMIT @limit OFFSET @offset)
       SELECT ${PAGE_COLUMNS}, pr.set_id AS prediction_set, pr.label AS prediction_label, pr.confidence AS prediction_confidence
       FROM page JOIN posts p ON p.id = page.id
       LEFT JOIN predictions pr ON pr.set_id = @latest AND pr.post_id = p.id
       ORDER BY p.id`,
    ).all(params) as Row[]
    return { total, offset: query.offset, rows: rows.map(toPostRow) }
  }
}
