import type { Database, Statement } from 'better-sqlite3'
import type { ReviewFilter, ReviewOrder } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import { StatementCache } from './statement-cache'

/** What a run stored about one pseudo-label, as far as risk is concerned. */
export interface RiskSignals {
  label: Sentiment
  confidence: number
  textLabel: Sentiment | null
  textConfidence: number | null
  imageLabel: Sentiment | null
  imageConfidence: number | null
  plfDecision: string | null
  plfReason: string | null
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
}

const PSEUDO = `pl.post_id AS postId, pl.label, pl.confidence, pl.text_label AS textLabel, pl.text_confidence AS textConfidence,
  pl.image_label AS imageLabel, pl.image_confidence AS imageConfidence, pl.modality, pl.plf_decision AS plfDecision,
  pl.plf_reason AS plfReason, pl.loss, d.kind AS decisionKind, d.label AS decisionLabel`
/** The decision in effect on each pseudo-label (the partial unique index makes it at most one). */
const DECISION_JOIN = `LEFT JOIN review_decisions d ON d.run_id = pl.run_id AND d.post_id = pl.post_id AND d.state = 'done'`
const WITH_DECISION = `pseudo_labels pl ${DECISION_JOIN}`
const FILTERS: Record<ReviewFilter, string> = { all: '', pending: 'AND d.id IS NULL', decided: 'AND d.id IS NOT NULL' }
const RANKS: Record<ReviewOrder, string> = { risk: 'o.risk_rank', confidence: 'o.confidence_rank' }

export type RankInput = Pick<PseudoRow, 'postId' | 'confidence' | 'label'>

/** A post's places in the run's two orders (0 = first). */
export interface Ranked {
  postId: number
  riskRank: number
  confidenceRank: number
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
  private readonly insertStepStmt: Statement<[number, string, 'single' | 'bulk']>
  private readonly insertDecisionStmt: Statement
  private readonly decisionStateStmt: Statement<[DecisionState, number]>
  private readonly lastStepStmt: Statement<[number, string], { id: number }>
  private readonly stepStateStmt: Statement<[StepState, number]>
  private readonly stepDecisionsStmt: Statement<[number], Decision>
  private readonly totalStmt: Statement<[number], { n: number }>
  private readonly decidedStmt: Statement<[number], { n: number }>
  private readonly rankedStmt: Statement<[number], { ranked: number }>
  private readonly rankInputsStmt: Statement<[number], RankInput>
  private readonly saveRankingTx: (runId: number, ranks: Ranked[]) => void

  constructor(db: Database) {
    this.statements = new StatementCache(db)
    this.runStmt = db.prepare('SELECT id, project_id AS projectId, status FROM runs WHERE id = ?')
    this.pseudoStmt = db.prepare(`SELECT ${PSEUDO} FROM ${WITH_DECISION} WHERE pl.run_id = ? AND pl.post_id = ?`)
    this.currentStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE run_id = ? AND post_id = ? AND state = 'done'`)
    this.decisionStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE id = ?`)
    this.pendingAboveStmt = db.prepare(`SELECT pl.post_id AS postId, pl.label FROM ${WITH_DECISION}
      WHERE pl.run_id = ? AND d.id IS NULL AND pl.confidence >= ? ORDER BY pl.post_id`)
    this.insertStepStmt = db.prepare('INSERT INTO review_steps (run_id, annotator, kind) VALUES (?, ?, ?)')
    this.insertDecisionStmt = db.prepare(`INSERT INTO review_decisions
      (step_id, run_id, post_id, kind, label, annotation_id, before_annotation_id, replaces_id)
      VALUES (@stepId, @runId, @postId, @kind, @label, @annotationId, @beforeAnnotationId, @replacesId)`)
    this.decisionStateStmt = db.prepare('UPDATE review_decisions SET state = ? WHERE id = ?')
    this.lastStepStmt = db.prepare(`SELECT id FROM review_steps WHERE run_id = ? AND annotator = ? AND state = 'done' ORDER BY id DESC LIMIT 1`)
    this.stepStateStmt = db.prepare('UPDATE review_steps SET state = ? WHERE id = ?')
    this.stepDecisionsStmt = db.prepare(`SELECT ${DECISION} FROM review_decisions WHERE step_id = ? ORDER BY id`)
    this.totalStmt = db.prepare('SELECT count(*) AS n FROM pseudo_labels WHERE run_id = ?')
    this.decidedStmt = db.prepare(`SELECT count(*) AS n FROM review_decisions d
      JOIN pseudo_labels pl ON pl.run_id = d.run_id AND pl.post_id = d.post_id WHERE d.run_id = ? AND d.state = 'done'`)
    this.rankedStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM review_order WHERE run_id = ?) AS ranked')
    this.rankInputsStmt = db.prepare('SELECT post_id AS postId, confidence, label FROM pseudo_labels WHERE run_id = ?')
    const clear = db.prepare('DELETE FROM review_order WHERE run_id = ?')
    const insert = db.prepare('INSERT INTO review_order (run_id, risk_rank, confidence_rank, post_id) VALUES (?, ?, ?, ?)')
    this.saveRankingTx = db.transaction((runId: number, ranks: Ranked[]) => {
      clear.run(runId)
      for (const r of ranks) insert.run(runId, r.riskRank, r.confidenceRank, r.postId)
    })
  }

  run(runId: number): ReviewRun | null {
    return this.runStmt.get(runId) ?? null
  }

  /** One page of the run's pseudo-labels in the asked order, once the run is ranked (see `saveRanking`). */
  page(q: ReviewPageQuery): PseudoRow[] {
    return this.statements
      .get(`SELECT ${PSEUDO} FROM review_order o JOIN pseudo_labels pl ON pl.run_id = o.run_id AND pl.post_id = o.post_id ${DECISION_JOIN}
        WHERE o.run_id = @runId ${FILTERS[q.filter]} ORDER BY ${RANKS[q.order]} LIMIT @limit OFFSET @offset`)
      .all(q) as PseudoRow[]
  }

  count(runId: number, filter: ReviewFilter): number {
    const total = this.totalStmt.get(runId)!.n
    if (filter === 'all') return total
    const decided = this.decidedStmt.get(runId)!.n
    return filter === 'decided' ? decided : total - decided
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

  /** Undecided pseudo-labels at or above a confidence, by post id. */
  pendingAbove(runId: number, minConfidence: number): Array<{ postId: number; label: Sentiment }> {
    return this.pendingAboveStmt.all(runId, minConfidence)
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
}
