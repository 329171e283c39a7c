// Prediction sets (a model applied to a project's posts) and their rows: written a chunk of rows per
// transaction while the set is hidden (its writer_pid set), read for the summary, the grid and the
// export once whole.
import { bootId } from '#main/core/boot-id'
import { startBeating, type RecordedProcess } from '#main/core/process-alive'
import type { Database, Statement } from 'better-sqlite3'
import type { PredictionSetSummary } from '#shared/predictions'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { nextTurn } from '#main/core/loop-turns'
import { inChunks, multiRowInsert, type ChunkedWrite } from './chunked-insert'
import { writeWhenFree } from './write-lock'

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
  private readonly beatSet: Statement<[number, number]>
  private readonly completeSet: Statement<[number]>
  private readonly deleteRows: Statement<[number, number, number]>
  private readonly deleteSet: Statement<[number]>
  private readonly unfinishedStmt: Statement<[number], { id: number } & RecordedProcess>
  private readonly unfinishedProjects: Statement<[], { projectId: number }>
  private readonly setStmt: Statement<[number], SetRow>
  private readonly listStmt: Statement<[number], SetRow>
  private readonly countsStmt: Statement<[number], { label: Sentiment; n: number; confidence: number }>
  private readonly pageStmt: Statement<[number, number, number], PredictionExportRow>

  constructor(private readonly db: Database) {
    this.insertSet = db.prepare(`INSERT INTO prediction_sets (project_id, run_id, model_path, method, encoder, metadata, posts, missing, elapsed_ms, writer_pid, writer_boot, writer_seen_at)
      VALUES (@projectId, @runId, @modelPath, @method, @encoder, @metadata, @posts, @missing, @elapsedMs, @writerPid, @writerBoot, @writerSeenAt)`)
    this.beatSet = db.prepare('UPDATE prediction_sets SET writer_seen_at = ? WHERE id = ?')
    this.completeSet = db.prepare('UPDATE prediction_sets SET writer_pid = NULL WHERE id = ?')
    this.deleteRows = db.prepare('DELETE FROM predictions WHERE set_id = ? AND post_id IN (SELECT post_id FROM predictions WHERE set_id = ? LIMIT ?)')
    this.deleteSet = db.prepare('DELETE FROM prediction_sets WHERE id = ?')
    this.unfinishedStmt = db.prepare('SELECT id, writer_pid AS pid, writer_boot AS boot, writer_seen_at AS seenAt FROM prediction_sets WHERE project_id = ? AND writer_pid IS NOT NULL')
    this.unfinishedProjects = db.prepare('SELECT DISTINCT project_id AS projectId FROM prediction_sets WHERE writer_pid IS NOT NULL')
    const columns = `id, project_id AS projectId, run_id AS runId, model_path AS modelPath, method, encoder, posts, missing, elapsed_ms AS elapsedMs, created_at AS createdAt`
    this.setStmt = db.prepare(`SELECT ${columns} FROM prediction_sets WHERE id = ? AND writer_pid IS NULL`)
    this.listStmt = db.prepare(`SELECT ${columns} FROM prediction_sets WHERE project_id = ? AND writer_pid IS NULL ORDER BY id DESC`)
    this.countsStmt = db.prepare('SELECT label, count(*) AS n, sum(confidence) AS confidence FROM predictions WHERE set_id = ? GROUP BY label')
    this.pageStmt = db.prepare(`SELECT pr.post_id AS postId, p.external_id AS externalId, p.split, pr.label, pr.confidence,
        pr.p_negative AS pNegative, pr.p_neutral AS pNeutral, pr.p_positive AS pPositive, p.label_overall AS humanLabel
      FROM predictions pr JOIN posts p ON p.id = pr.post_id WHERE pr.set_id = ? AND pr.post_id > ? ORDER BY pr.post_id LIMIT ?`)
  }

  /**
   * Writes the set, then its rows a chunk per transaction with pauses another writer can use
   * (chunked-insert.ts: a shell write waiting on the lock waits a slice, not the whole set), then marks
   * it whole in one last statement: until then it is in no list, summary, grid or export. If the write
   * fails or `signal` is aborted, the rows written so far are deleted and the error is thrown. Returns the set's id.
   * Every `beatMs` (OWNER_BEAT_MS) meanwhile, the set records that its writer is still at work.
   */
  async save(set: NewPredictionSet, write: ChunkedWrite = {}, beatMs?: number): Promise<number> {
    const C = CONFUSION_ORDER.length
    const p = set.probabilities
    const info = this.insertSet.run({ ...set, metadata: JSON.stringify(set.metadata), posts: set.postIds.length, writerPid: process.pid, writerBoot: bootId(), writerSeenAt: Date.now() })
    const setId = Number(info.lastInsertRowid)
    const insert = multiRowInsert(this.db, 'INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive)', 7, (i, out, at) => {
      const row = p.subarray(i * C, (i + 1) * C)
      let best = 0
      for (let c = 1; c < C; c++) if (row[c]! > row[best]!) best = c
      out[at] = setId
      out[at + 1] = set.postIds[i]
      out[at + 2] = CONFUSION_ORDER[best]
      out[at + 3] = row[best]
      out[at + 4] = row[0]
      out[at + 5] = row[1]
      out[at + 6] = row[2]
    })
    // A long write says it is still at work: another process tells a writer that died by the silence.
    const beating = startBeating(() => writeWhenFree(this.db, () => this.beatSet.run(Date.now(), setId)), beatMs)
    try {
      await inChunks(this.db, set.postIds.length, insert, write)
      write.signal?.throwIfAborted()
      this.completeSet.run(setId)
      return setId
    } catch (err) {
      await this.discard(setId)
      throw err
    } finally {
      beating.stop()
    }
  }

  /** Deletes a set and its rows, a chunk of rows per transaction (the way they were written), each waiting for the lock off the event loop. */
  async discard(setId: number): Promise<void> {
    const chunk = 2000
    while ((await writeWhenFree(this.db, () => this.deleteRows.run(setId, setId, chunk).changes)) === chunk) await nextTurn()
    await writeWhenFree(this.db, () => this.deleteSet.run(setId))
  }

  /** Deletes the project's sets (every project's, without one) whose writer ended before it finished them (a crash, a kill); returns how many. */
  async discardAbandoned(projectId: number | null, alive: (writer: RecordedProcess) => boolean): Promise<number> {
    const projects = projectId === null ? this.unfinishedProjects.all().map((p) => p.projectId) : [projectId]
    const abandoned = projects.flatMap((id) => this.unfinishedStmt.all(id)).filter((s) => !alive(s))
    for (const s of abandoned) await this.discard(s.id)
    return abandoned.length
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
