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

  constructor(private readonly db: Database) {
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

  /** A finished run of the project and every proposal it stored (fused, and its text head's where it has one): a teacher for the next run. */
  teacherRows(runId: number, projectId: number): { method: string; rows: { postId: number; label: Sentiment; confidence: number; textLabel: Sentiment | null; textConfidence: number | null }[] } | null {
    const run = this.db.prepare<[number, number], { method: string }>(`SELECT method FROM runs WHERE id = ? AND project_id = ? AND status = 'done'`).get(runId, projectId)
    if (!run) return null
    const rows = this.db
      .prepare<[number], { postId: number; label: Sentiment; confidence: number; textLabel: Sentiment | null; textConfidence: number | null }>(
        'SELECT post_id AS postId, label, confidence, text_label AS textLabel, text_confidence AS textConfidence FROM pseudo_labels WHERE run_id = ? ORDER BY post_id',
      )
      .all(runId)
    return { method: run.method, rows }
  }

  /** The pseudo-label the latest finished run gave a post, if any. */
  latestFor(projectId: number, postId: number): PseudoLabelSummary | null {
    const run = this.latestDoneRun(projectId)
    return run ? (this.forPostStmt.get(run.id, postId) ?? null) : null
  }
}
