import type { Database, Statement } from 'better-sqlite3'
import type { LabelingSource, LabelStep } from '#shared/labeling'
import type { Modality, Sentiment } from '#shared/vocabulary'

export type ActionState = 'done' | 'undone' | 'dropped'

export interface LabelAction {
  id: number
  postId: number
  externalId: string
  modality: Modality
  source: LabelingSource
  before: Sentiment | null
  after: Sentiment | null
  /** The annotation that stood before the step (null: none did, or the step predates migration 20). */
  beforeAnnotationId: number | null
  lastAnnotationId: number
}

export interface NewLabelAction {
  projectId: number
  annotator: string
  postId: number
  modality: Modality
  source: LabelingSource
  before: Sentiment | null
  after: Sentiment | null
  beforeAnnotationId: number | null
  lastAnnotationId: number
}

const ACTION = `a.id, a.post_id AS postId, p.external_id AS externalId, a.modality, a.source,
  a.before_label AS before, a.after_label AS after, a.before_annotation_id AS beforeAnnotationId, a.last_annotation_id AS lastAnnotationId`

/** The step an action takes when done (before → after); undoing it goes the other way. */
export const stepOf = (a: LabelAction): LabelStep => ({
  postId: a.postId,
  externalId: a.externalId,
  modality: a.modality,
  from: a.before,
  to: a.after,
})

/**
 * Each annotator's undo/redo stack in a project, kept in SQLite so it survives a restart.
 * Done steps are undone newest first; undone steps are redone in the reverse order, which is the
 * oldest undone first, because a new label drops every undone step (they form one run at the top).
 */
export class LabelActionsRepo {
  private readonly insertStmt: Statement
  private readonly lastDoneStmt: Statement<[number, string], LabelAction>
  private readonly firstUndoneStmt: Statement<[number, string], LabelAction>
  private readonly dropUndoneStmt: Statement<[number, string]>
  private readonly moveStmt: Statement<[ActionState, number, number]>
  private readonly wroteStmt: Statement<[number, string, number], { id: number }>

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO label_actions
      (project_id, annotator, post_id, modality, source, before_label, after_label, before_annotation_id, last_annotation_id)
      VALUES (@projectId, @annotator, @postId, @modality, @source, @before, @after, @beforeAnnotationId, @lastAnnotationId)`)
    const top = (state: ActionState, order: 'ASC' | 'DESC'): string =>
      `SELECT ${ACTION} FROM label_actions a JOIN posts p ON p.id = a.post_id
       WHERE a.project_id = ? AND a.annotator = ? AND a.state = '${state}' ORDER BY a.id ${order} LIMIT 1`
    this.lastDoneStmt = db.prepare(top('done', 'DESC'))
    this.firstUndoneStmt = db.prepare(top('undone', 'ASC'))
    this.dropUndoneStmt = db.prepare(`UPDATE label_actions SET state = 'dropped' WHERE project_id = ? AND annotator = ? AND state = 'undone'`)
    this.moveStmt = db.prepare('UPDATE label_actions SET state = ?, last_annotation_id = ? WHERE id = ?')
    this.wroteStmt = db.prepare('SELECT id FROM label_actions WHERE project_id = ? AND annotator = ? AND last_annotation_id = ? LIMIT 1')
  }

  /**
   * Whether this annotator's stack wrote that annotation last (as a label, undo or redo). While it
   * did, the steps on that post stand as the stack left them; once anyone else wrote, they do not.
   */
  wroteLast(projectId: number, annotator: string, annotationId: number): boolean {
    return this.wroteStmt.get(projectId, annotator, annotationId) !== undefined
  }

  /** Records a new step; the redo branch it replaces is dropped. */
  push(action: NewLabelAction): void {
    this.dropUndoneStmt.run(action.projectId, action.annotator)
    this.insertStmt.run(action)
  }

  /** The step Ctrl+Z would undo. */
  nextUndo(projectId: number, annotator: string): LabelAction | null {
    return this.lastDoneStmt.get(projectId, annotator) ?? null
  }

  /** The step Ctrl+Shift+Z would redo. */
  nextRedo(projectId: number, annotator: string): LabelAction | null {
    return this.firstUndoneStmt.get(projectId, annotator) ?? null
  }

  /** Moves a step to `state`, noting the annotation that moved it (none for a drop). */
  move(actionId: number, state: ActionState, annotationId: number): void {
    this.moveStmt.run(state, annotationId, actionId)
  }
}
