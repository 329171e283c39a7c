import type { Database, Statement } from 'better-sqlite3'
import { SPLITS, type Split } from '#shared/vocabulary'
import { decodeVector } from './vector-codec'

export interface EncoderCoverage {
  encoder: string
  /** Posts of the project with a 'clean' vector from this encoder. */
  posts: number
}

/** What the suggestion strategies read besides pseudo-labels: unlabeled posts per split, feature vectors. */
export class SuggestionInputsRepo {
  private readonly unlabeledStmt: Statement<[{ projectId: number; split: Split; conflicts: number }], number>
  private readonly unlabeledCountStmt: Statement<[{ projectId: number; conflicts: number }], number>
  private readonly coverageStmt: Statement<[number], EncoderCoverage>
  private readonly withFeaturesStmt: Statement<[{ projectId: number; labeled: number; encoder: string; conflicts: number }], { id: number }>
  private readonly vectorStmt: Statement<[number, string], { dim: number; vector: Buffer }>

  constructor(db: Database) {
    // One split at a time walks the covering index posts_project_split_overall; ids only, no row objects.
    // The last parameter is 1 to take conflict posts too (training leaves them out, so by default a suggestion does).
    this.unlabeledStmt = db
      .prepare<[{ projectId: number; split: Split; conflicts: number }], number>(
        'SELECT id FROM posts WHERE project_id = @projectId AND split = @split AND label_overall IS NULL AND (conflict = 0 OR @conflicts) ORDER BY id',
      )
      .pluck()
    this.unlabeledCountStmt = db
      .prepare<[{ projectId: number; conflicts: number }], number>(
        "SELECT count(*) FROM posts WHERE project_id = @projectId AND label_overall IS NULL AND ((conflict = 0 AND split <> 'conflict') OR @conflicts)",
      )
      .pluck()
    this.coverageStmt = db.prepare(`SELECT f.encoder, count(*) AS posts FROM posts p
      JOIN features f ON f.post_id = p.id AND f.view = 'clean' WHERE p.project_id = ? GROUP BY f.encoder ORDER BY posts DESC, f.encoder`)
    this.withFeaturesStmt = db.prepare(`SELECT p.id FROM posts p WHERE p.project_id = @projectId
      AND (p.label_overall IS NOT NULL) = @labeled AND (@labeled OR @conflicts OR (p.conflict = 0 AND p.split <> 'conflict'))
      AND EXISTS (SELECT 1 FROM features f WHERE f.post_id = p.id AND f.encoder = @encoder AND f.view = 'clean') ORDER BY p.id`)
    this.vectorStmt = db.prepare("SELECT dim, vector FROM features WHERE post_id = ? AND encoder = ? AND view = 'clean'")
  }

  /** Ids of posts without an overall label, per split; conflict posts only when asked. */
  unlabeledBySplit(projectId: number, conflicts = false): Map<Split, number[]> {
    const splits = conflicts ? SPLITS : SPLITS.filter((s) => s !== 'conflict')
    return new Map(splits.map((split) => [split, this.unlabeledStmt.all({ projectId, split, conflicts: conflicts ? 1 : 0 })] as const).filter(([, ids]) => ids.length > 0))
  }

  /** Posts without an overall label; conflict posts only when asked. */
  unlabeledCount(projectId: number, conflicts = false): number {
    return this.unlabeledCountStmt.get({ projectId, conflicts: conflicts ? 1 : 0 })!
  }

  /** Encoders with clean vectors in this project, best covered first. */
  encoderCoverage(projectId: number): EncoderCoverage[] {
    return this.coverageStmt.all(projectId)
  }

  /** Posts (labeled or not) that have a clean vector from `encoder`; unlabeled conflict posts only when asked. */
  postsWithFeatures(projectId: number, encoder: string, labeled: boolean, conflicts = false): number[] {
    return this.withFeaturesStmt.all({ projectId, labeled: labeled ? 1 : 0, encoder, conflicts: conflicts ? 1 : 0 }).map((r) => r.id)
  }

  /**
   * A post's clean vectors from every encoder, each scaled to unit length and joined end to end,
   * so each encoder (image, text) weighs the same in a distance; null when one is missing.
   */
  joinedVector(postId: number, encoders: readonly string[]): Float32Array | null {
    const parts: Float32Array[] = []
    for (const encoder of encoders) {
      const row = this.vectorStmt.get(postId, encoder)
      if (!row) return null
      parts.push(unitLength(decodeVector(row.vector, row.dim, `post ${postId}, ${encoder}, clean`)))
    }
    const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const p of parts) {
      joined.set(p, at)
      at += p.length
    }
    return joined
  }
}

function unitLength(v: Float32Array): Float32Array {
  let norm = 0
  for (const x of v) norm += x * x
  norm = Math.sqrt(norm)
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm
  return v
}
