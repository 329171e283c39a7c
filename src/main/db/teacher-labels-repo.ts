// A run's distillation teacher's label per post (migration 13), and what the review needs to word
// it: which teacher it was and whether the run generated text/image labels (ULGM).
import type { Database } from 'better-sqlite3'
import type { TeacherSource } from '#shared/run-teacher'
import type { Sentiment } from '#shared/vocabulary'

export interface TeacherLabelRow {
  postId: number
  label: Sentiment
  confidence: number
  kept: boolean
}

/** What stands beside a run's proposals in its review. */
export interface RunSecondOpinions {
  /** The teacher's source, or null for a run without one. */
  teacher: TeacherSource | null
  /** Its run id (source 'run') or model folder (source 'onnx'). */
  teacherRun: number | null
  teacherFolder: string | null
  /** The run's text and image heads learned generated labels (ULGM): their labels are those. */
  generated: boolean
}

/** Replaces the run's teacher labels; call inside the transaction that saves its results. */
export function writeTeacherLabels(db: Database, runId: number, rows: readonly TeacherLabelRow[]): void {
  db.prepare('DELETE FROM teacher_labels WHERE run_id = ?').run(runId)
  const insert = db.prepare('INSERT INTO teacher_labels (run_id, post_id, label, confidence, kept) VALUES (?, ?, ?, ?, ?)')
  for (const r of rows) insert.run(runId, r.postId, r.label, r.confidence, r.kept ? 1 : 0)
}

export class TeacherLabelsRepo {
  constructor(private readonly db: Database) {}

  forRun(runId: number): TeacherLabelRow[] {
    return this.db
      .prepare<[number], { postId: number; label: Sentiment; confidence: number; kept: number }>('SELECT post_id AS postId, label, confidence, kept FROM teacher_labels WHERE run_id = ? ORDER BY post_id')
      .all(runId)
      .map((r) => ({ ...r, kept: r.kept === 1 }))
  }

  secondOpinions(runId: number): RunSecondOpinions {
    const row = this.db
      .prepare<[number], { source: string | null; run: number | null; folder: string | null; ulgm: string | null }>(
        `SELECT json_extract(config, '$.teacherUsed.source') AS source, json_extract(config, '$.teacher.run') AS run,
          json_extract(config, '$.teacher.folder') AS folder, json_extract(config, '$.ulgm.mode') AS ulgm FROM runs WHERE id = ?`,
      )
      .get(runId)
    const teacher = (row?.source ?? null) as TeacherSource | null
    return { teacher, teacherRun: teacher === 'run' ? row!.run : null, teacherFolder: teacher === 'onnx' ? row!.folder : null, generated: row?.ulgm === 'on' }
  }
}
