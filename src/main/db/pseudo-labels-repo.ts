import type { Database, Statement } from 'better-sqlite3'
import type { PseudoLabelSummary } from '#shared/labeling'
import type { Sentiment } from '#shared/vocabulary'

export interface LeastConfident {
  postId: number
  label: Sentiment
  confidence: number
}

/** Reads of finished runs' pseudo-labels, for the labeling view and the "uncertain" strategy. */
export class PseudoLabelsRepo {
  private readonly latestRunStmt: Statement<[number], { id: number; pseudo: number }>
  private readonly leastConfidentStmt: Statement<[number, number, number], LeastConfident>
  private readonly forPostStmt: Statement<[number, number], PseudoLabelSummary>

  constructor(db: Database) {
    this.latestRunStmt = db.prepare(`SELECT r.id, (SELECT count(*) FROM pseudo_labels pl WHERE pl.run_id = r.id) AS pseudo
      FROM runs r WHERE r.project_id = ? AND r.status = 'done' ORDER BY r.id DESC LIMIT 1`)
    this.leastConfidentStmt = db.prepare(`SELECT pl.post_id AS postId, pl.label, pl.confidence FROM pseudo_labels pl
      JOIN posts p ON p.id = pl.post_id
      WHERE pl.run_id = ? AND p.project_id = ? AND p.label_overall IS NULL ORDER BY pl.confidence ASC, pl.post_id LIMIT ?`)
    this.forPostStmt = db.prepare('SELECT run_id AS runId, label, confidence FROM pseudo_labels WHERE run_id = ? AND post_id = ?')
  }

  /** The project's latest finished run, with how many pseudo-labels it wrote. */
  latestDoneRun(projectId: number): { id: number; pseudo: number } | null {
    return this.latestRunStmt.get(projectId) ?? null
  }

  /** Unlabeled posts the run was least sure about, least sure first. */
  leastConfident(runId: number, projectId: number, limit: number): LeastConfident[] {
    return this.leastConfidentStmt.all(runId, projectId, limit)
  }

  /** The pseudo-label the latest finished run gave a post, if any. */
  latestFor(projectId: number, postId: number): PseudoLabelSummary | null {
    const run = this.latestDoneRun(projectId)
    return run ? (this.forPostStmt.get(run.id, postId) ?? null) : null
  }
}
