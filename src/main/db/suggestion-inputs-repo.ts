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
  private readonly unlabeledStmt: Statement<[number, Split], number>
  private readonly unlabeledCountStmt: Statement<[number], number>
  private readonly coverageStmt: Statement<[number], EncoderCoverage>
  private readonly withFeaturesStmt: Statement<[number, number, string], { id: number }>
  private readonly vectorStmt: Statement<[number, string], { dim: number; vector: Buffer }>

  constructor(db: Database) {
    // One split at a time walks the covering index posts_project_split_overall; ids only, no row objects.
    this.unlabeledStmt = db.prepare<[number, Split], number>('SELECT id FROM posts WHERE project_id = ? AND split = ? AND label_overall IS NULL ORDER BY id').pluck()
    this.unlabeledCountStmt = db.prepare<[number], number>('SELECT count(*) FROM posts WHERE project_id = ? AND label_overall IS NULL').pluck()
    this.coverageStmt = db.prepare(`SELECT f.encoder, count(*) AS posts FROM posts p
      JOIN features f ON f.post_id = p.id AND f.view = 'clean' WHERE p.project_id = ? GROUP BY f.encoder ORDER BY posts DESC, f.encoder`)
    this.withFeaturesStmt = db.prepare(`SELECT p.id FROM posts p WHERE p.project_id = ?
      AND (p.label_overall IS NOT NULL) = ?
      AND EXISTS (SELECT 1 FROM features f WHERE f.post_id = p.id AND f.encoder = ? AND f.view = 'clean') ORDER BY p.id`)
    this.vectorStmt = db.prepare("SELECT dim, vector FROM features WHERE post_id = ? AND encoder = ? AND view = 'clean'")
  }

  /** Ids of posts without an overall label, per split. */
  unlabeledBySplit(projectId: number): Map<Split, number[]> {
    return new Map(SPLITS.map((split) => [split, this.unlabeledStmt.all(projectId, split)] as const).filter(([, ids]) => ids.length > 0))
  }

  unlabeledCount(projectId: number): number {
    return this.unlabeledCountStmt.get(projectId)!
  }

  /** Encoders with clean vectors in this project, best covered first. */
  encoderCoverage(projectId: number): EncoderCoverage[] {
    return this.coverageStmt.all(projectId)
  }

  /** Posts (labeled or not) that have a clean vector from `encoder`. */
  postsWithFeatures(projectId: number, encoder: string, labeled: boolean): number[] {
    return this.withFeaturesStmt.all(projectId, labeled ? 1 : 0, encoder).map((r) => r.id)
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
