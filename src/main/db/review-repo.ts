import type { Database, Statement } from 'better-sqlite3'
import type { ReviewFilter, ReviewOrder, ReviewScope } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import type { Ranked } from '#main/ml/review-order'
import { StatementCache } from './statement-cache'
import { CELLS, COUNT_CELLS } from './migration-review-counts'

/** What a run stored about one pseudo-label, as far as risk is concerned. */
export interface RiskSignals {
  label: Sentiment
  confidence: number
  textLabel: Sentiment | null
  textConfidence: number | null
  imageLabel: Sentiment | null
  imageConfidence: number | null
  plfDecision: string | null
  /** Why the PLF rule did not run (or, on rows from before version 15, its verdict in words). */
  plfReason: string | null
  /** The numbers the PLF rule judged, where it ran (version 15). */
  plfCeText: number | null
  plfCeImage: number | null
  plfThreshold: number | null
  loss: number | null
}

export type DecisionKind = 'accepted' | 'corrected' | 'rejected'
export type StepState = 'done' | 'undone' | 'dropped'
export type DecisionState = 'done' | 'undone' | 'replaced'

export interface ReviewRun {
  id: number
  projectId: number
  status: string
}

/** One pseudo-label of a run (what risk is judged on, and more) with the decision in effect on it, if any. */
export interface PseudoRow extends RiskSignals {
  postId: number
  modality: string | null
  /** The run's distillation teacher's label for the post (teacher_labels, migration 13), if it had one. */
  teacherLabel: Sentiment | null
  teacherConfidence: number | null
  teacherKept: number | null
  decisionKind: DecisionKind | null
  decisionLabel: Sentiment | null
}

export interface Decision {
  id: number
  stepId: number
  postId: number
  kind: DecisionKind
  label: Sentiment | null
  annotationId: number | null
  beforeAnnotationId: number | null
  replacesId: number | null
  state: DecisionState
}

export type NewDecision = Omit<Decision, 'id' | 'state'> & { runId: number }

export interface ReviewPageQuery {
  runId: number
  order: ReviewOrder
  filter: ReviewFilter
  offset: number
  limit: number
  scope: ReviewScope
  /** The run's text/image heads give generated labels (ULGM): their disagreement counts for the `disagrees` filter (default false). */
  generated?: boolean
}

/** A run's pseudo-labels counted within a scope, and how many stand on posts with a label of their own. */
export interface ReviewCounts {
  all: number
  pending: number
  decided: number
  labeled: number
}

const PSEUDO = `pl.post_id AS postId, pl.label, pl.confidence, pl.text_label AS textLabel, pl.text_confidence AS textConfidence,
  pl.image_label AS imageLabel, pl.image_confidence AS imageConfidence, pl.modality, pl.plf_decision AS plfDecision,
  pl.plf_reason AS plfReason, pl.plf_ce_text AS plfCeText, pl.plf_ce_image AS plfCeImage, pl.plf_threshold AS plfThreshold, pl.loss, d.kind AS decisionKind, d.label AS decisionLabel,
  tl.label AS teacherLabel, tl.confidence AS teacherConfidence, tl.kept AS teacherKept`
/** The decision in effect on each pseudo-label (the partial unique index makes it at most one). */
const DECISION_JOIN = `LEFT JOIN review_decisions d ON d.run_id = pl.run_id AND d.post_id = pl.post_id AND d.state = 'done'`
/** The run's teacher's label on the post (migration 13). */
const TEACHER_JOIN = `LEFT JOIN teacher_labels tl ON tl.run_id = pl.run_id AND tl.post_id = pl.post_id`
const WITH_DECISION = `pseudo_labels pl ${DECISION_JOIN}`
/**
 * A second opinion disagrees with the proposal: the teacher's label, or (@generated: the run's text
 * and image heads learned ULGM's generated labels) the text or image head's label.
 */
const DISAGREES = `((tl.label IS NOT NULL AND tl.label <> pl.label) OR (@generated AND (pl.text_label <> pl.label OR pl.image_label <> pl.label)))`
const WITH_POST = `JOIN posts p ON p.id = pl.post_id`
/**
 * The post carries an overall label apart from this run's review: while no decision of the run is in
 * effect, its current label; once one is, the latest label written by anything but this run (a
 * human, an import, another run's review; an undo restores a label with the run it had).
 */
const LABELED = `(CASE WHEN d.id IS NULL THEN p.label_overall IS NOT NULL ELSE (SELECT a.label FROM annotations a
  WHERE a.post_id = pl.post_id AND a.modality = 'overall' AND a.run_id IS NOT pl.run_id ORDER BY a.id DESC LIMIT 1) IS NOT NULL END)`
const SCOPES: Record<ReviewScope, string> = { unlabeled: `AND NOT ${LABELED}`, labeled: `AND ${LABELED}`, all: '' }
const FILTERS: Record<ReviewFilter, string> = { all: '', pending: 'AND d.id IS NULL', decided: 'AND d.id IS NOT NULL', disagrees: `AND ${DISAGREES}` }
const RANKS: Record<ReviewOrder, string> = { risk: 'o.risk_rank', confidence: 'o.confidence_rank' }

export type RankInput = Pick<PseudoRow, 'postId' | 'confidence' | 'label'>

/** One of a run's four kept counts (migration 12). */
interface Cell {
  decided: 0 | 1
  labeled: 0 | 1
  n: number
}

const DECISION = `id, step_id AS stepId, post_id AS postId, kind, label, annotation_id AS annotationId,
  before_annotation_id AS beforeAnnotationId, replaces_id AS replacesId, state`

/** Review decisions on a run's pseudo-labels and each annotator's review undo stack (migrations 5 and 7). */
export class ReviewRepo {
  private readonly statements: StatementCache
  private readonly runStmt: Statement<[number], ReviewRun>
  private readonly pseudoStmt: Statement<[number, number], PseudoRow>
  private readonly currentStmt: Statement<[number, number], Decision>
  private readonly decisionStmt: Statement<[number], Decision>
  private readonly pendingAboveStmt: Statement<[number, number], { postId: number; label: Sentiment }>
  private readonly pendingAfterStmt: Statement<[number, number, number, number], { postId: number; label: Sentiment }>
  private readonly labeledAboveStmt: Statement<[number, number], { n: number }>
  private readonly insertStepStmt: Statement<[number, string, 'single' | 'bulk']>
  private readonly insertDecisionStmt: Statement
  private readonly decisionStateStmt: Statement<[DecisionState, number]>
  private readonly lastStepStmt: Statement<[number, string], { id: number }>
  private readonly stepStateStmt: Statement<[StepState, number]>
  private readonly stepDecisionsStmt: Statement<[number], Decision>
  private readonly stepDecisionsAfterStmt: Statement<[number, number, number], Decision>
  private readonly rankedStmt: Statement<[number], { ranked: number }>
  private readonly rankInputsStmt: Statement<[number], RankInput>
  private readonly saveRankingTx: (runId: number, ranks: Ranked[]) => void
  private readonly cellsStmt: Statement<[number], Cell>
  private readonly countedStmt: Statement<[number], { counted: number }>
  private readonly recountTx: (runId: number) => void

  constructor(db: Database) {
    this.statements = new StatementCache(db)
    this.runStmt = db.prepare('SELECT id, project_id AS projectId, status FROM runs WHERE id = ?')
    this.pseudoStmt = db.prepare(`SELECT ${PSEUDO} FROM ${WITH_DECISION} ${TEACHER_JOIN} WHERE pl.run_id = ? AND pl.post_id = ?`)
    this.currentStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE run_id = ? AND post_id = ? AND state = 'done'`)
    this.decisionStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE id = ?`)
    // Bulk accept takes only posts without a label: it never replaces one (see LABELED: pending = no decision).
    this.pendingAboveStmt = db.prepare(`SELECT pl.post_id AS postId, pl.label FROM ${WITH_DECISION} ${WITH_POST}
      WHERE pl.run_id = ? AND d.id IS NULL AND p.label_overall IS NULL AND pl.confidence >= ? ORDER BY pl.post_id`)
    this.pendingAfterStmt = db.prepare(`SELECT pl.post_id AS postId, pl.label FROM ${WITH_DECISION} ${WITH_POST}
      WHERE pl.run_id = ? AND pl.post_id > ? AND d.id IS NULL AND p.label_overall IS NULL AND pl.confidence >= ? ORDER BY pl.post_id LIMIT ?`)
    this.labeledAboveStmt = db.prepare(`SELECT count(*) AS n FROM ${WITH_DECISION} ${WITH_POST}
      WHERE pl.run_id = ? AND d.id IS NULL AND p.label_overall IS NOT NULL AND pl.confidence >= ?`)
    this.insertStepStmt = db.prepare('INSERT INTO review_steps (run_id, annotator, kind) VALUES (?, ?, ?)')
    this.insertDecisionStmt = db.prepare(`INSERT INTO review_decisions
      (step_id, run_id, post_id, kind, label, annotation_id, before_annotation_id, replaces_id)
      VALUES (@stepId, @runId, @postId, @kind, @label, @annotationId, @beforeAnnotationId, @replacesId)`)
    this.decisionStateStmt = db.prepare('UPDATE review_decisions SET state = ? WHERE id = ?')
    this.lastStepStmt = db.prepare(`SELECT id FROM review_steps WHERE run_id = ? AND annotator = ? AND state = 'done' ORDER BY id DESC LIMIT 1`)
    this.stepStateStmt = db.prepare('UPDATE review_steps SET state = ? WHERE id = ?')
    this.stepDecisionsStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE step_id = ? ORDER BY id`)
    this.stepDecisionsAfterStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE step_id = ? AND id > ? ORDER BY id LIMIT ?`)
    this.rankedStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM review_order WHERE run_id = ?) AS ranked')
    this.rankInputsStmt = db.prepare('SELECT post_id AS postId, confidence, label FROM pseudo_labels WHERE run_id = ?')
    const clear = db.prepare('DELETE FROM review_order WHERE run_id = ?')
    const insert = db.prepare('INSERT INTO review_order (run_id, risk_rank, confidence_rank, post_id) VALUES (?, ?, ?, ?)')
    this.saveRankingTx = db.transaction((runId: number, ranks: Ranked[]) => {
      clear.run(runId)
      for (const r of ranks) insert.run(runId, r.riskRank, r.confidenceRank, r.postId)
    }).immediate
    this.cellsStmt = db.prepare('SELECT decided, labeled, n FROM review_counts WHERE run_id = ?')
    this.countedStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM review_counts WHERE run_id = ?) AS counted')
    const uncount = db.prepare('DELETE FROM review_counts WHERE run_id = ?')
    const count = db.prepare(`INSERT INTO review_counts (run_id, decided, labeled, n) ${COUNT_CELLS} WHERE pl.run_id = ? GROUP BY 1, 2, 3`)
    const zeros = db.prepare(`INSERT OR IGNORE INTO review_counts (run_id, decided, labeled, n) SELECT r.id, decided, labeled, 0 FROM runs r, ${CELLS} WHERE r.id = ?`)
    this.recountTx = db.transaction((runId: number) => {
      uncount.run(runId)
      count.run(runId)
      zeros.run(runId)
    }).immediate
  }

  run(runId: number): ReviewRun | null {
    return this.runStmt.get(runId) ?? null
  }

  /** One page of the run's pseudo-labels in the asked order, once the run is ranked (see `saveRanking`). */
  page(q: ReviewPageQuery): PseudoRow[] {
    return this.statements
      .get(`SELECT ${PSEUDO} FROM review_order o JOIN pseudo_labels pl ON pl.run_id = o.run_id AND pl.post_id = o.post_id ${DECISION_JOIN} ${TEACHER_JOIN} ${WITH_POST}
        WHERE o.run_id = @runId ${FILTERS[q.filter]} ${SCOPES[q.scope]} ORDER BY ${RANKS[q.order]} LIMIT @limit OFFSET @offset`)
      .all({ runId: q.runId, offset: q.offset, limit: q.limit, ...(q.filter === 'disagrees' ? { generated: q.generated ? 1 : 0 } : {}) }) as PseudoRow[]
  }

  /** The run's pseudo-labels in `scope` that a second opinion disagrees with (see DISAGREES): counted only when that filter is asked for. */
  disagreeing(runId: number, scope: ReviewScope, generated: boolean): number {
    const inScope = scope === 'all' ? '' : `AND ${scope === 'labeled' ? LABELED : `NOT ${LABELED}`}`
    const row = this.statements
      .get(`SELECT count(*) AS n FROM ${WITH_DECISION} ${TEACHER_JOIN} ${WITH_POST} WHERE pl.run_id = @runId AND ${DISAGREES} ${inScope}`)
      .get({ runId, generated: generated ? 1 : 0 }) as { n: number }
    return row.n
  }

  /**
   * The run's pseudo-labels in `scope`: all, pending and decided; and those on posts with a label of
   * their own, whatever the scope. Read from the run's kept counts (migration 12) once it is counted
   * (`recount`), else counted by a walk of its pseudo-labels.
   */
  counts(runId: number, scope: ReviewScope): ReviewCounts {
    const cells = this.cellsStmt.all(runId)
    const kept = cells.length > 0 ? cells : this.statements.get(`${COUNT_CELLS} WHERE pl.run_id = ? GROUP BY 1, 2, 3`).all(runId) as Cell[]
    const sum = (pick: (c: Cell) => boolean): number => kept.reduce((a, c) => a + (pick(c) ? c.n : 0), 0)
    const inScope = (c: Cell): boolean => scope === 'all' || (scope === 'labeled') === (c.labeled === 1)
    const all = sum(inScope)
    const decided = sum((c) => inScope(c) && c.decided === 1)
    return { all, decided, pending: all - decided, labeled: sum((c) => c.labeled === 1) }
  }

  /** True once the run's counts are kept (`recount`); writing its pseudo-labels again drops them. */
  isCounted(runId: number): boolean {
    return this.countedStmt.get(runId)!.counted === 1
  }

  /** Counts the run's pseudo-labels into its four kept cells, which triggers keep right from then on (migration 12). */
  recount(runId: number): void {
    this.recountTx(runId)
  }

  isRanked(runId: number): boolean {
    return this.rankedStmt.get(runId)!.ranked === 1
  }

  /** What ranking needs of every pseudo-label of the run. */
  rankInputs(runId: number): RankInput[] {
    return this.rankInputsStmt.all(runId)
  }

  /** Replaces the run's ranking in one transaction. */
  saveRanking(runId: number, ranks: Ranked[]): void {
    this.saveRankingTx(runId, ranks)
  }

  pseudo(runId: number, postId: number): PseudoRow | null {
    return this.pseudoStmt.get(runId, postId) ?? null
  }

  /** The decision in effect on a post in this run. */
  current(runId: number, postId: number): Decision | null {
    return this.currentStmt.get(runId, postId) ?? null
  }

  decision(id: number): Decision | null {
    return this.decisionStmt.get(id) ?? null
  }

  /** Undecided pseudo-labels at or above a confidence on posts without a label, by post id. */
  pendingAbove(runId: number, minConfidence: number): Array<{ postId: number; label: Sentiment }> {
    return this.pendingAboveStmt.all(runId, minConfidence)
  }

  /** The next `limit` of `pendingAbove` after post `afterPostId`: bulk accept walks them a chunk at a time. */
  pendingAfter(runId: number, minConfidence: number, afterPostId: number, limit: number): Array<{ postId: number; label: Sentiment }> {
    return this.pendingAfterStmt.all(runId, afterPostId, minConfidence, limit)
  }

  /** Undecided pseudo-labels at or above a confidence on posts that carry a label (which bulk accept leaves out). */
  labeledAbove(runId: number, minConfidence: number): number {
    return this.labeledAboveStmt.get(runId, minConfidence)!.n
  }

  addStep(runId: number, annotator: string, kind: 'single' | 'bulk'): number {
    return Number(this.insertStepStmt.run(runId, annotator, kind).lastInsertRowid)
  }

  addDecision(decision: NewDecision): number {
    return Number(this.insertDecisionStmt.run(decision).lastInsertRowid)
  }

  setDecisionState(id: number, state: DecisionState): void {
    this.decisionStateStmt.run(state, id)
  }

  /** The step Ctrl+Z would undo for this annotator in this run. */
  lastDoneStep(runId: number, annotator: string): number | null {
    return this.lastStepStmt.get(runId, annotator)?.id ?? null
  }

  setStepState(id: number, state: StepState): void {
    this.stepStateStmt.run(state, id)
  }

  stepDecisions(stepId: number): Decision[] {
    return this.stepDecisionsStmt.all(stepId)
  }

  /** The next `limit` decisions of a step after decision `afterId`, in the order they were made. */
  stepDecisionsAfter(stepId: number, afterId: number, limit: number): Decision[] {
    return this.stepDecisionsAfterStmt.all(stepId, afterId, limit)
  }
}
