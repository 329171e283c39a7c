// Label checks (migration 11): the check, its listed posts with the evidence, and the review
// decisions on them with their undo stack (the newest decision in effect of a reviewer comes first).
import type { Database } from 'better-sqlite3'
import type { LabelCheckFilter, LabelCheckStatus, LabelCheckSummary } from '#shared/label-check'
import type { Sentiment } from '#shared/vocabulary'
import { StatementCache } from './statement-cache'
import { inChunks, multiRowInsert, type ChunkedWrite } from './chunked-insert'
import { writeWhenFree } from './write-lock'
import { bootId } from '#main/core/boot-id'
import type { RecordedProcess } from '#main/core/process-alive'

export interface NewCheckItem {
  postId: number
  rank: number
  given: Sentiment
  givenAnnotationId: number | null
  suggested: Sentiment
  probabilities: Record<Sentiment, number>
  margin: number
}

export interface CheckItemRow {
  postId: number
  rank: number
  given: Sentiment
  givenAnnotationId: number | null
  suggested: Sentiment
  pNegative: number
  pNeutral: number
  pPositive: number
  decisionKind: 'accepted' | 'kept' | null
  decisionLabel: Sentiment | null
  decisionAnnotator: string | null
}

export interface CheckDecision {
  id: number
  checkId: number
  postId: number
  annotator: string
  kind: 'accepted' | 'kept'
  label: Sentiment | null
  annotationId: number | null
  beforeAnnotationId: number | null
  replacesId: number | null
  state: 'done' | 'undone' | 'replaced'
}

const SUMMARY = `c.id, c.project_id AS projectId, c.encoder, c.status, c.checked, c.listed, c.error, c.created_at AS createdAt,
  c.finished_at AS finishedAt, (SELECT count(*) FROM label_check_items i WHERE i.check_id = c.id AND NOT EXISTS
    (SELECT 1 FROM label_check_decisions d WHERE d.check_id = c.id AND d.post_id = i.post_id AND d.state = 'done')) AS pending`
const ITEM = `i.post_id AS postId, i.rank, i.given, i.given_annotation_id AS givenAnnotationId, i.suggested, i.p_negative AS pNegative,
  i.p_neutral AS pNeutral, i.p_positive AS pPositive, d.kind AS decisionKind, d.label AS decisionLabel, d.annotator AS decisionAnnotator`
const DECISION = `id, check_id AS checkId, post_id AS postId, annotator, kind, label, annotation_id AS annotationId,
  before_annotation_id AS beforeAnnotationId, replaces_id AS replacesId, state`
const ITEM_COLUMNS = 'check_id, post_id, rank, given, given_annotation_id, suggested, p_negative, p_neutral, p_positive, margin'
const FILTER: Record<LabelCheckFilter, string> = { all: '1', pending: 'd.id IS NULL', decided: 'd.id IS NOT NULL' }

export class LabelChecksRepo {
  private readonly cache: StatementCache

  constructor(private readonly db: Database) {
    this.cache = new StatementCache(db)
  }

  /** A check this process runs (its pid, boot and a first beat recorded, as for runs). */
  create(projectId: number, encoder: string, settings: object): number {
    return Number(
      this.cache
        .get(`INSERT INTO label_checks (project_id, encoder, status, settings, owner_pid, owner_boot, owner_seen_at) VALUES (?, ?, 'running', ?, ?, ?, ?)`)
        .run(projectId, encoder, JSON.stringify(settings), process.pid, bootId(), Date.now()).lastInsertRowid,
    )
  }

  /** The owner `pid` says it still runs these checks. */
  beat(checkIds: readonly number[], pid: number, at = Date.now()): void {
    const touch = this.cache.get(`UPDATE label_checks SET owner_seen_at = ? WHERE id = ? AND owner_pid = ? AND status = 'running'`)
    this.db.transaction(() => {
      for (const id of checkIds) touch.run(at, id, pid)
    })()
  }

  /**
   * Stores a finished check's list, a chunk of rows per transaction with pauses in between
   * (chunked-insert.ts: 16,000 rows in one transaction held the shell's loop ~95 ms at 100,000 posts),
   * then marks it done. Nothing shows a running check's rows; a write that fails or is aborted
   * (`options.signal`) takes the rows it wrote with it.
   */
  async finish(checkId: number, checked: number, items: readonly NewCheckItem[], options: ChunkedWrite = {}): Promise<void> {
    const insert = multiRowInsert(this.db, `INTO label_check_items (${ITEM_COLUMNS})`, 10, (i, out, at) => {
      const it = items[i]!
      const p = it.probabilities
      const values = [checkId, it.postId, it.rank, it.given, it.givenAnnotationId, it.suggested, p.negative, p.neutral, p.positive, it.margin]
      for (let k = 0; k < values.length; k++) out[at + k] = values[k]
    })
    try {
      await inChunks(this.db, items.length, insert, options)
      await writeWhenFree(this.db, () => {
        this.cache.get(`UPDATE label_checks SET status = 'done', checked = ?, listed = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(checked, items.length, checkId)
      })
    } catch (err) {
      if (this.db.open) await writeWhenFree(this.db, () => this.cache.get('DELETE FROM label_check_items WHERE check_id = ?').run(checkId))
      throw err
    }
  }

  end(checkId: number, status: Exclude<LabelCheckStatus, 'running' | 'done'>, error: string | null): void {
    this.cache.get(`UPDATE label_checks SET status = ?, error = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(status, error, checkId)
  }

  /**
   * Checks left 'running' by a process that ended (a crash, a kill) are marked failed; one another
   * live process runs (the command line, another window's back end) is left to it. A check recorded
   * without its owner (before v19), or by this pid (which has just started), is failed.
   */
  abandonRunning(alive: (owner: RecordedProcess) => boolean): void {
    const running = this.cache.get(`SELECT id, owner_pid AS pid, owner_boot AS boot, owner_seen_at AS seenAt FROM label_checks WHERE status = 'running'`).all() as Array<{ id: number; pid: number | null; boot: string | null; seenAt: number | null }>
    const fail = this.cache.get(`UPDATE label_checks SET status = 'failed', error = 'the process running it ended' WHERE id = ? AND status = 'running'`)
    for (const c of running) {
      if (c.pid === null || c.pid === process.pid || !alive({ pid: c.pid, boot: c.boot, seenAt: c.seenAt })) fail.run(c.id)
    }
  }

  summary(checkId: number): LabelCheckSummary | null {
    return (this.cache.get(`SELECT ${SUMMARY} FROM label_checks c WHERE c.id = ?`).get(checkId) as LabelCheckSummary | undefined) ?? null
  }

  list(projectId: number): LabelCheckSummary[] {
    return this.cache.get(`SELECT ${SUMMARY} FROM label_checks c WHERE c.project_id = ? ORDER BY c.id DESC`).all(projectId) as LabelCheckSummary[]
  }

  page(checkId: number, filter: LabelCheckFilter, offset: number, limit: number): { total: number; rows: CheckItemRow[] } {
    const from = `label_check_items i LEFT JOIN label_check_decisions d ON d.check_id = i.check_id AND d.post_id = i.post_id AND d.state = 'done'
      WHERE i.check_id = ? AND ${FILTER[filter]}`
    const total = (this.cache.get(`SELECT count(*) AS n FROM ${from}`).get(checkId) as { n: number }).n
    const rows = this.cache.get(`SELECT ${ITEM} FROM ${from} ORDER BY i.rank LIMIT ? OFFSET ?`).all(checkId, limit, offset) as CheckItemRow[]
    return { total, rows }
  }

  item(checkId: number, postId: number): CheckItemRow | null {
    const sql = `SELECT ${ITEM} FROM label_check_items i LEFT JOIN label_check_decisions d ON d.check_id = i.check_id AND d.post_id = i.post_id AND d.state = 'done'
      WHERE i.check_id = ? AND i.post_id = ?`
    return (this.cache.get(sql).get(checkId, postId) as CheckItemRow | undefined) ?? null
  }

  current(checkId: number, postId: number): CheckDecision | null {
    return (this.cache.get(`SELECT ${DECISION} FROM label_check_decisions WHERE check_id = ? AND post_id = ? AND state = 'done'`).get(checkId, postId) as CheckDecision | undefined) ?? null
  }

  /** The reviewer's latest decision still in effect: what Undo reverses. */
  lastDone(checkId: number, annotator: string): CheckDecision | null {
    const sql = `SELECT ${DECISION} FROM label_check_decisions WHERE check_id = ? AND annotator = ? AND state = 'done' AND undoable = 1 ORDER BY id DESC LIMIT 1`
    return (this.cache.get(sql).get(checkId, annotator) as CheckDecision | undefined) ?? null
  }

  decision(id: number): CheckDecision | null {
    return (this.cache.get(`SELECT ${DECISION} FROM label_check_decisions WHERE id = ?`).get(id) as CheckDecision | undefined) ?? null
  }

  addDecision(d: Omit<CheckDecision, 'id' | 'state'>): number {
    const sql = `INSERT INTO label_check_decisions (check_id, post_id, annotator, kind, label, annotation_id, before_annotation_id, replaces_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    return Number(this.cache.get(sql).run(d.checkId, d.postId, d.annotator, d.kind, d.label, d.annotationId, d.beforeAnnotationId, d.replacesId).lastInsertRowid)
  }

  /** Someone labeled the post since: the decision stands, and Undo passes over it. */
  markNotUndoable(id: number): void {
    this.cache.get(`UPDATE label_check_decisions SET undoable = 0 WHERE id = ?`).run(id)
  }

  setState(id: number, state: CheckDecision['state']): void {
    this.cache.get(`UPDATE label_check_decisions SET state = ? WHERE id = ?`).run(state, id)
  }
}
