import type { Database, Statement } from 'better-sqlite3'
import { LABELING_SOURCES, type AnnotationEntry, type AnnotationKind, type PostLabels } from '#shared/labeling'
import { MODALITIES, type AnnotationSource, type Modality, type Sentiment } from '#shared/vocabulary'

export interface NewAnnotation {
  projectId: number
  postId: number
  modality: Modality
  label: Sentiment | null
  source: AnnotationSource
  kind: AnnotationKind
  annotator: string
  /** The run a reviewed pseudo-label came from (accepted or corrected in review). */
  runId?: number | null
}

/** What an undo (or a decision that takes another back) restores: see `AnnotationsRepo.restore`. */
export interface Restore {
  projectId: number
  postId: number
  modality: Modality
  /** The row taken back: the post's latest for this modality. */
  undone: AnnotationEntry
  /** The id of the row that stood before `undone` wrote its label (null: no label did). */
  beforeId: number | null
  /** Who takes it back. */
  actor: string
  kind: 'label' | 'undo'
}

/** One annotator's latest label of one post (nulls, i.e. cleared labels, are left out). */
export interface AnnotatorLabel {
  annotator: string
  postId: number
  label: Sentiment
}

/** Sources that are a person's own label, read per annotator (agreement, labels per annotator). */
const PERSONAL: ReadonlySet<AnnotationSource> = new Set(LABELING_SOURCES)

/** The columns of a history row, named as `AnnotationEntry` names them. */
const ENTRY = 'id, modality, label, source, kind, annotator, run_id AS runId, created_at AS createdAt'

/** The append-only label history: writes new rows, reads a post's rows, reads each annotator's latest. */
export class AnnotationsRepo {
  private readonly appendStmt: Statement
  private readonly historyStmt: Statement<[number], AnnotationEntry>
  private readonly latestStmt: Statement<[number, Modality], AnnotationEntry>
  private readonly byIdStmt: Statement<[number], AnnotationEntry>
  private readonly latestOutsideRunStmt: Statement<[number, Modality, number], AnnotationEntry>
  private readonly bySourceStmt: Statement<[number, AnnotationSource, Modality], AnnotatorLabel>
  private readonly ownBeforeStmt: Statement<[number, Modality, string, AnnotationSource, number], AnnotationEntry>

  constructor(db: Database) {
    this.appendStmt = db.prepare(`INSERT INTO annotations (project_id, post_id, modality, label, source, kind, annotator, run_id)
      VALUES (@projectId, @postId, @modality, @label, @source, @kind, @annotator, @runId)`)
    this.historyStmt = db.prepare(`SELECT ${ENTRY} FROM annotations WHERE post_id = ? ORDER BY id DESC`)
    this.latestStmt = db.prepare(`SELECT ${ENTRY} FROM annotations WHERE post_id = ? AND modality = ? ORDER BY id DESC LIMIT 1`)
    this.byIdStmt = db.prepare(`SELECT ${ENTRY} FROM annotations WHERE id = ?`)
    this.latestOutsideRunStmt = db.prepare(`SELECT ${ENTRY} FROM annotations WHERE post_id = ? AND modality = ? AND run_id IS NOT ?
      ORDER BY id DESC LIMIT 1`)
    // SQLite takes the bare column `label` from the row holding max(id): each annotator's latest.
    this.bySourceStmt = db.prepare(`SELECT annotator, postId, label FROM (
        SELECT annotator, post_id AS postId, label, max(id) FROM annotations
        WHERE project_id = ? AND source = ? AND modality = ? GROUP BY annotator, post_id)
      WHERE label IS NOT NULL ORDER BY annotator, postId`)
    this.ownBeforeStmt = db.prepare(`SELECT ${ENTRY} FROM annotations WHERE post_id = ? AND modality = ? AND annotator = ? AND source = ? AND id < ?
      ORDER BY id DESC LIMIT 1`)
  }

  /** Appends one row; the trigger of migration 2 updates the post's current label in the same transaction. */
  append(annotation: NewAnnotation): number {
    const { projectId, postId, modality, label, source, kind, annotator } = annotation
    const row = { projectId, postId, modality, label, source, kind, annotator, runId: annotation.runId ?? null }
    return Number(this.appendStmt.run(row).lastInsertRowid)
  }

  /**
   * Takes `undone` back (history stays append-only): the post's label becomes `before`'s again, as
   * it stood (its label, source, run and author), so an imported label stays imported and a
   * colleague's stays theirs. Where `undone` was the actor's own label (human or correction) over
   * someone else's, a row in the actor's name first takes it back, to their label of that source
   * from before the step, else none: each person's latest row is what the agreement and the
   * per-annotator counts read, and it must be neither their undone label nor someone else's.
   * Returns the id of the row that now stands.
   */
  restore({ projectId, postId, modality, undone, beforeId, actor, kind }: Restore): number {
    const own = { projectId, postId, modality, kind, annotator: actor }
    const before = beforeId === null ? null : this.byId(beforeId)
    if (before === null) return this.append({ ...own, label: null, source: undone.source, runId: undone.runId })
    if (undone.annotator === actor && before.annotator !== actor && PERSONAL.has(undone.source)) {
      // The actor's label as it stood when the step was taken: `before` was then the latest row.
      const earlier = this.ownBeforeStmt.get(postId, modality, actor, undone.source, before.id) ?? null
      this.append({ ...own, label: earlier?.label ?? null, source: undone.source, runId: earlier ? earlier.runId : undone.runId })
    }
    return this.append({ projectId, postId, modality, kind, label: before.label, source: before.source, annotator: before.annotator, runId: before.runId })
  }

  latest(postId: number, modality: Modality): AnnotationEntry | null {
    return this.latestStmt.get(postId, modality) ?? null
  }

  /** The latest row not written for `runId` (a run's review writes its rows with the run's id). */
  latestOutsideRun(postId: number, modality: Modality, runId: number): AnnotationEntry | null {
    return this.latestOutsideRunStmt.get(postId, modality, runId) ?? null
  }

  byId(annotationId: number): AnnotationEntry | null {
    return this.byIdStmt.get(annotationId) ?? null
  }

  /** Current labels (with who and when) and the whole history, newest first. */
  postLabels(postId: number): PostLabels {
    const history = this.historyStmt.all(postId)
    const current = Object.fromEntries(MODALITIES.map((m) => [m, history.find((h) => h.modality === m) ?? null])) as PostLabels['current']
    const labels = Object.fromEntries(MODALITIES.map((m) => [m, current[m]?.label ?? null])) as PostLabels['labels']
    return { postId, labels, current, history }
  }

  /** Every annotator's latest label per post, counting only rows of `source`. */
  latestBySource(projectId: number, source: AnnotationSource, modality: Modality): AnnotatorLabel[] {
    return this.bySourceStmt.all(projectId, source, modality)
  }
}
