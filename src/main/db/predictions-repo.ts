// Prediction sets (a model applied to a project's posts) and their rows: written whole in one
// transaction, read for the summary, the grid and the export.
import type { Database, Statement } from 'better-sqlite3'
import type { PredictionSetSummary } from '#shared/predictions'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'

export interface NewPredictionSet {
  projectId: number
  runId: number | null
  modelPath: string | null
  method: string
  encoder: string
  metadata: unknown
  missing: number
  elapsedMs: number
  postIds: readonly number[]
  /** Calibrated probabilities, rows × 3 in CONFUSION_ORDER. */
  probabilities: Float32Array
}

export interface PredictionExportRow {
  postId: number
  externalId: string
  split: string
  label: Sentiment
  confidence: number
  pNegative: number
  pNeutral: number
  pPositive: number
  humanLabel: Sentiment | null
}

interface SetRow {
  id: number
  projectId: number
  runId: number | null
  modelPath: string | null
  method: string
  encoder: string
  posts: number
  missing: number
  elapsedMs: number
  createdAt: string
}

export class PredictionsRepo {
  private readonly insertSet: Statement
  private readonly insertRow: Statement
  private readonly setStmt: Statement<[number], SetRow>
  private readonly listStmt: Statement<[number], SetRow>
  private readonly countsStmt: Statement<[number], { label: Sentiment; n: number; confidence: number }>
  private readonly pageStmt: Statement<[number, number, number], PredictionExportRow>

  constructor(private readonly db: Database) {
    this.insertSet = db.prepare(`INSERT INTO prediction_sets (project_id, run_id, model_path, method, encoder, metadata, posts, missing, elapsed_ms)
      VALUES (@projectId, @runId, @modelPath, @method, @encoder, @metadata, @posts, @missing, @elapsedMs)`)
    this.insertRow = db.prepare('INSERT INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const columns = `id, project_id AS projectId, run_id AS runId, model_path AS modelPath, method, encoder, posts, missing, elapsed_ms AS elapsedMs, created_at AS createdAt`
    this.setStmt = db.prepare(`SELECT ${columns} FROM prediction_sets WHERE id = ?`)
    this.listStmt = db.prepare(`SELECT ${columns} FROM prediction_sets WHERE project_id = ? ORDER BY id DESC`)
    this.countsStmt = db.prepare('SELECT label, count(*) AS n, sum(confidence) AS confidence FROM predictions WHERE set_id = ? GROUP BY label')
    this.pageStmt = db.prepare(`SELECT pr.post_id AS postId, p.external_id AS externalId, p.split, pr.label, pr.confidence,
        pr.p_negative AS pNegative, pr.p_neutral AS pNeutral, pr.p_positive AS pPositive, p.label_overall AS humanLabel
      FROM predictions pr JOIN posts p ON p.id = pr.post_id WHERE pr.set_id = ? AND pr.post_id > ? ORDER BY pr.post_id LIMIT ?`)
  }

  /** Writes the set and every row in one transaction; returns the set's id. */
  save(set: NewPredictionSet): number {
    const C = CONFUSION_ORDER.length
    return this.db.transaction(() => {
      const info = this.insertSet.run({ ...set, metadata: JSON.stringify(set.metadata), posts: set.postIds.length })
      const setId = Number(info.lastInsertRowid)
      const p = set.probabilities
      set.postIds.forEach((postId, i) => {
        const row = p.subarray(i * C, (i + 1) * C)
        let best = 0
        for (let c = 1; c < C; c++) if (row[c]! > row[best]!) best = c
        this.insertRow.run(setId, postId, CONFUSION_ORDER[best], row[best], row[0], row[1], row[2])
      })
      return setId
    }).immediate()
  }

  summary(setId: number): PredictionSetSummary | null {
    const row = this.setStmt.get(setId)
    return row ? this.summarise(row) : null
  }

  list(projectId: number): PredictionSetSummary[] {
    return this.listStmt.all(projectId).map((r) => this.summarise(r))
  }

  /** Rows of a set after `afterPostId`, in post order: the export reads a page at a time. */
  page(setId: number, afterPostId: number, limit: number): PredictionExportRow[] {
    return this.pageStmt.all(setId, afterPostId, limit)
  }

  private summarise(row: SetRow): PredictionSetSummary {
    const perClass: Record<Sentiment, number> = { negative: 0, neutral: 0, positive: 0 }
    let confidence = 0
    for (const c of this.countsStmt.all(row.id)) {
      perClass[c.label] = c.n
      confidence += c.confidence
    }
    return { ...row, perClass, meanConfidence: row.posts > 0 ? confidence / row.posts : 0 }
  }
}
