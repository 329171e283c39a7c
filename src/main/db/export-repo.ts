import type { Database, Statement } from 'better-sqlite3'
import type { AnnotationSource, Sentiment, Split } from '#shared/vocabulary'

/** One post as the label exports write it: current labels, where its image is, and a run's prediction. */
export interface ExportRow {
  postId: number
  externalId: string
  text: string
  /** The source's root and the image path inside it. */
  root: string
  imagePath: string
  split: Split
  conflict: number
  overall: Sentiment | null
  textLabel: Sentiment | null
  imageLabel: Sentiment | null
  /** Where the current overall label came from (the latest overall row's source). */
  overallSource: AnnotationSource | null
  /** The run's pseudo-label, when a run was asked for and it gave this post one. */
  pseudoLabel: Sentiment | null
  pseudoConfidence: number | null
  pseudoTextLabel: Sentiment | null
  pseudoTextConfidence: number | null
  pseudoImageLabel: Sentiment | null
  pseudoImageConfidence: number | null
  /** The review decision in effect on that pseudo-label. */
  review: string | null
}

/** What an exported model's metadata says about the run that trained it. */
export interface ExportRun {
  id: number
  projectId: number
  method: string
  preset: string
  encoder: string
  status: string
  finishedAt: string | null
}

/** Reads a project's posts for export, in import order, a page at a time; and the run a model came from. */
export class ExportRepo {
  private readonly rowsStmt: Statement<{ projectId: number; runId: number | null; after: number; limit: number }, ExportRow>
  private readonly runStmt: Statement<[number], ExportRun>

  constructor(db: Database) {
    this.rowsStmt = db.prepare(`SELECT p.id AS postId, p.external_id AS externalId, p.text, s.root, p.image_path AS imagePath,
        p.split, p.conflict, p.label_overall AS overall, p.label_text AS textLabel, p.label_image AS imageLabel,
        (SELECT a.source FROM annotations a WHERE a.post_id = p.id AND a.modality = 'overall' ORDER BY a.id DESC LIMIT 1) AS overallSource,
        pl.label AS pseudoLabel, pl.confidence AS pseudoConfidence,
        pl.text_label AS pseudoTextLabel, pl.text_confidence AS pseudoTextConfidence,
        pl.image_label AS pseudoImageLabel, pl.image_confidence AS pseudoImageConfidence,
        d.kind AS review
      FROM posts p JOIN sources s ON s.id = p.source_id
      LEFT JOIN pseudo_labels pl ON pl.run_id = @runId AND pl.post_id = p.id
      LEFT JOIN review_decisions d ON d.run_id = @runId AND d.post_id = p.id AND d.state = 'done'
      WHERE p.project_id = @projectId AND p.id > @after ORDER BY p.id LIMIT @limit`)
    this.runStmt = db.prepare(`SELECT id, project_id AS projectId, method, preset, encoder, status, finished_at AS finishedAt FROM runs WHERE id = ?`)
  }

  run(runId: number): ExportRun | null {
    return this.runStmt.get(runId) ?? null
  }

  /** Up to `limit` posts after post id `after`, by id: an export reads in pages so requests are answered in between. */
  rows(projectId: number, runId: number | null, after: number, limit: number): ExportRow[] {
    return this.rowsStmt.all({ projectId, runId, after, limit })
  }
}
