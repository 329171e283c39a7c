import type { Database, Statement } from 'better-sqlite3'
import type { Sentiment, Split } from '#shared/vocabulary'
import { decodeVector, decodeVectorInto, encodeVector, type Precision } from './vector-codec'

/** Posts with the same image looked at for a vector to copy (FeaturesRepo.donorOf). */
const DONOR_CANDIDATES = 64

/** What a post's vectors depend on: its image, its text, and (for augmented views, seeded by it) its external id. */
export interface PostContent {
  id: number
  externalId: string
  imageHash: string
  text: string
}

export interface FeatureRow {
  postId: number
  encoder: string
  view: string
  vector: Float32Array
  /** float32 unless said (image region grids are stored in float16: vector-codec.ts). */
  precision?: Precision
}

export interface FeatureCount {
  encoder: string
  view: string
  count: number
}

/** A post as extraction needs it: where its image is and what its text says. */
export interface PostToEncode {
  id: number
  externalId: string
  text: string
  /** The source folder and the image's path inside it. */
  root: string
  imagePath: string
}

export interface PostLabel {
  id: number
  split: Split
  label: Sentiment | null
}

/** The feature cache: one vector (float32, or float16 for region grids) per (post, encoder, view). */
export class FeaturesRepo {
  private readonly insertStmt: Statement<[number, string, string, number, Buffer]>
  private readonly missingStmt: Statement<[number, string, string], number>
  private readonly countsStmt: Statement<[number], FeatureCount>
  private readonly readStmt: Statement<[number, string, string], { post_id: number; dim: number; vector: Buffer }>
  private readonly manyStmt: Statement<[string, string, string], [number, number, Buffer]>
  private readonly postsStmt: Statement<[number], PostToEncode>
  private readonly labelsStmt: Statement<[number], PostLabel>
  private readonly writeAll: (rows: readonly FeatureRow[]) => number
  private readonly contentStmt: Statement<[string], PostContent>
  /** A donor row with the same image, and the same text (bit 1) and external id (bit 2) as asked. */
  private readonly donorStmts: ReadonlyArray<Statement<[Record<string, string>], number>>
  private readonly copyAll: (copies: ReadonlyArray<{ postId: number; donor: number }>) => number

  constructor(private readonly db: Database) {
    // A row already there stays: the same (post, encoder, view) always encodes to the same vector.
    this.insertStmt = db.prepare('INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT (post_id, encoder, view) DO NOTHING')
    this.missingStmt = db
      .prepare<[number, string, string], number>(
        'SELECT p.id FROM posts p WHERE p.project_id = ? AND NOT EXISTS (SELECT 1 FROM features f WHERE f.post_id = p.id AND f.encoder = ? AND f.view = ?) ORDER BY p.id',
      )
      .pluck()
    this.countsStmt = db.prepare(
      'SELECT f.encoder, f.view, count(*) AS count FROM posts p JOIN features f ON f.post_id = p.id WHERE p.project_id = ? GROUP BY f.encoder, f.view ORDER BY f.encoder, f.view',
    )
    this.readStmt = db.prepare('SELECT f.post_id, f.dim, f.vector FROM posts p JOIN features f ON f.post_id = p.id WHERE p.project_id = ? AND f.encoder = ? AND f.view = ?')
    // A chunk of ids in one statement (the ids as a JSON array; j.key is the position in it): about a
    // quarter of the time of a statement per id, and the rows come back without an object each.
    this.manyStmt = db
      .prepare<[string, string, string], [number, number, Buffer]>('SELECT j.key, f.dim, f.vector FROM json_each(?) j JOIN features f ON f.post_id = j.value AND f.encoder = ? AND f.view = ?')
      .raw()
    this.postsStmt = db.prepare(`SELECT p.id, p.external_id AS externalId, p.text, s.root, p.image_path AS imagePath
      FROM posts p JOIN sources s ON s.id = p.source_id WHERE p.project_id = ? ORDER BY p.id`)
    this.labelsStmt = db.prepare('SELECT id, split, label_overall AS label FROM posts WHERE project_id = ? ORDER BY id')
    this.contentStmt = db.prepare('SELECT p.id, p.external_id AS externalId, p.image_hash AS imageHash, p.text FROM json_each(?) j JOIN posts p ON p.id = j.value')
    // [image], [image, text], [image, external id], [image, text, external id]
    // The candidates are read by the (image_hash, external_id) index, and only the first
    // DONOR_CANDIDATES of them are looked at: an image shared by 100,000 posts (a placeholder)
    // would otherwise be scanned whole for each of their texts. A donor past them is missed, and its
    // post encoded as it would have been.
    this.donorStmts = [0, 1, 2, 3].map((same) =>
      db
        .prepare<[Record<string, string>], number>(
          `SELECT f.id FROM (SELECT id, text FROM posts WHERE image_hash = @imageHash${same & 2 ? ' AND external_id = @externalId' : ''} LIMIT ${DONOR_CANDIDATES}) d
            JOIN features f ON f.post_id = d.id AND f.encoder = @encoder AND f.view = @view${same & 1 ? ' WHERE d.text = @text' : ''} LIMIT 1`,
        )
        .pluck(),
    )
    const copyStmt = db.prepare<[number, number]>(
      'INSERT INTO features (post_id, encoder, view, dim, vector) SELECT ?, encoder, view, dim, vector FROM features WHERE id = ? ON CONFLICT (post_id, encoder, view) DO NOTHING',
    )
    this.copyAll = db.transaction((copies: ReadonlyArray<{ postId: number; donor: number }>) => {
      let copied = 0
      for (const c of copies) copied += copyStmt.run(c.postId, c.donor).changes
      return copied
    }).immediate
    // One transaction per batch: a crash loses at most the batch in flight, never half of one.
    this.writeAll = db.transaction((rows: readonly FeatureRow[]) => {
      let written = 0
      for (const r of rows) written += this.insertStmt.run(r.postId, r.encoder, r.view, r.vector.length, encodeVector(r.vector, r.precision)).changes
      return written
    }).immediate
  }

  /** The external id, image hash and text of the posts `ids`: what their vectors can be copied from. */
  contentOf(ids: readonly number[]): PostContent[] {
    return this.contentStmt.all(JSON.stringify(ids))
  }

  /**
   * A cached vector of (encoder, view) that a post anywhere in the store holds whose image is
   * `post`'s, and, as asked, whose text and external id are too: its row id, or undefined.
   */
  donorOf(post: PostContent, same: { text: boolean; externalId: boolean }, encoder: string, view: string): number | undefined {
    const { imageHash, text, externalId } = post
    return this.donorStmts[(same.text ? 1 : 0) + (same.externalId ? 2 : 0)]!.get({ encoder, view, imageHash, ...(same.text && { text }), ...(same.externalId && { externalId }) })
  }

  /** Copies each donor row to its post, in one transaction; returns the rows copied. */
  copyRows(copies: ReadonlyArray<{ postId: number; donor: number }>): number {
    return this.copyAll(copies)
  }

  /** Writes the rows in one transaction; returns how many were new. */
  write(rows: readonly FeatureRow[]): number {
    return this.writeAll(rows)
  }

  /** Ids of the project's posts with no vector for (encoder, view), in id order. */
  missing(projectId: number, encoder: string, view: string): number[] {
    return this.missingStmt.all(projectId, encoder, view)
  }

  /** Vectors per (encoder, view) in the project. */
  counts(projectId: number): FeatureCount[] {
    return this.countsStmt.all(projectId)
  }

  /** Posts of the project holding a vector for every one of `keys`. */
  complete(projectId: number, keys: ReadonlyArray<{ encoder: string; view: string }>): number {
    if (keys.length === 0) return 0
    const wanted = keys.map(() => '(?, ?)').join(', ')
    return this.db
      .prepare<unknown[], number>(
        `SELECT count(*) FROM posts p WHERE p.project_id = ? AND (SELECT count(*) FROM features f
          WHERE f.post_id = p.id AND (f.encoder, f.view) IN (VALUES ${wanted})) = ?`,
      )
      .pluck()
      .get(projectId, ...keys.flatMap((k) => [k.encoder, k.view]), keys.length)!
  }

  /** Every vector of (encoder, view) in the project by post id, each checked to hold `dim` floats. */
  readAll(projectId: number, encoder: string, view: string, dim?: number): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>()
    for (const row of this.readStmt.iterate(projectId, encoder, view)) {
      out.set(row.post_id, decodeVector(row.vector, row.dim, `post ${row.post_id}, ${encoder}, ${view}`, dim))
    }
    return out
  }

  /**
   * The vectors of (encoder, view) for the posts `ids`, in that order, written into `out` (row i from
   * index i × dim) by one statement; returns the positions in `ids` the cache has no vector for
   * (their rows in `out` untouched).
   */
  readMany(ids: ArrayLike<number>, encoder: string, view: string, dim: number, out: Float32Array): number[] {
    const found = new Uint8Array(ids.length)
    for (const [at, rowDim, vector] of this.manyStmt.iterate(JSON.stringify(Array.from(ids)), encoder, view)) {
      decodeVectorInto(vector, rowDim, `post ${ids[at]}, ${encoder}, ${view}`, out, at * dim, dim)
      found[at] = 1
    }
    const missing: number[] = []
    for (let i = 0; i < found.length; i++) if (found[i] === 0) missing.push(i)
    return missing
  }

  posts(projectId: number): PostToEncode[] {
    return this.postsStmt.all(projectId)
  }

  /** Every post's split and current overall label (what a probe learns and is scored on). */
  labels(projectId: number): PostLabel[] {
    return this.labelsStmt.all(projectId)
  }
}
