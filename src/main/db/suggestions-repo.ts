import type { Database, Statement } from 'better-sqlite3'
import type { Suggestion, SuggestStrategy } from '#shared/labeling'

/** What was asked for: a strategy (or `auto`) and a number of posts, by whom. */
export interface BatchRequest {
  projectId: number
  strategy: string
  requested: number
  annotator: string | null
}

export interface SuggestionPick {
  postId: number
  strategy: SuggestStrategy
  reason: string
}

/** Suggestion batches: which posts a "suggest" picked, in rank order, and which strategy picked each. */
export class SuggestionsRepo {
  private readonly latestStmt: Statement<[number], { id: number }>
  private readonly forPostStmt: Statement<[number, number], Suggestion>
  private readonly batchStmt: Statement<[number, string, number, string | null]>
  private readonly pickStmt: Statement<[number, number, number, SuggestStrategy, string]>
  private readonly recordTx: (batch: BatchRequest, picks: readonly SuggestionPick[]) => number

  constructor(db: Database) {
    this.latestStmt = db.prepare('SELECT id FROM suggestion_batches WHERE project_id = ? ORDER BY id DESC LIMIT 1')
    this.forPostStmt = db.prepare('SELECT batch_id AS batchId, rank, strategy, reason FROM suggestions WHERE batch_id = ? AND post_id = ?')
    this.batchStmt = db.prepare('INSERT INTO suggestion_batches (project_id, strategy, requested, annotator) VALUES (?, ?, ?, ?)')
    this.pickStmt = db.prepare('INSERT INTO suggestions (batch_id, rank, post_id, strategy, reason) VALUES (?, ?, ?, ?, ?)')
    this.recordTx = db.transaction((batch: BatchRequest, picks: readonly SuggestionPick[]) => {
      const batchId = Number(this.batchStmt.run(batch.projectId, batch.strategy, batch.requested, batch.annotator).lastInsertRowid)
      picks.forEach((p, rank) => this.pickStmt.run(batchId, rank + 1, p.postId, p.strategy, p.reason))
      return batchId
    }).immediate
  }

  /** The batch the `suggested` queue follows: the project's latest. */
  latestBatch(projectId: number): number | null {
    return this.latestStmt.get(projectId)?.id ?? null
  }

  forPost(batchId: number, postId: number): Suggestion | null {
    return this.forPostStmt.get(batchId, postId) ?? null
  }

  /** Stores a batch in one transaction; ranks follow the order of `picks`. */
  record(batch: BatchRequest, picks: readonly SuggestionPick[]): number {
    return this.recordTx(batch, picks)
  }
}
