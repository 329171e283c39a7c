// Training runs: the row a run lives in from queued to done, its final reports, curves and
// pseudo-labels. The trainer process writes through its own connection; the results of a run land
// a chunk of pseudo-labels per transaction, then the rest together with the status that says they are there.
import { bootId } from '#main/core/boot-id'
import type { RecordedProcess } from '#main/core/process-alive'
import type { Database, Statement } from 'better-sqlite3'
import * as v from 'valibot'
import { RunPrior } from '#shared/run-prior'
import { TeacherUsed } from '#shared/run-teacher'
import { runConfidenceOf, type RunCalibration } from '#shared/calibration'
import { isCurveSeries, type ClassificationReport, type CurvePoint, type CurveSeries, type LabelsUsed, type PresetName, type RunDetail, type RunMethod, type RunRequest, type RunScores, type RunStatus, type RunSubset, type RunSummary, type TrainingConfig } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { majorityBaseline, majorityBasis, truthCounts } from '#main/ml/baseline'
import { reviewOrder, riskModelOf } from '#main/ml/review-order'
import type { ChunkedWrite } from './chunked-insert'
import { writePseudoLabels, writeReviewOrder, type PseudoLabelSource } from './pseudo-label-writer'
import { writeTeacherLabels, type TeacherLabelRow } from './teacher-labels-repo'


export interface NewRun {
  projectId: number
  method: RunMethod
  preset: PresetName
  encoder: string
  seed: number
  steps: number
  request: RunRequest
  /** Stored as given: a resume reads it back unchanged. */
  config: TrainingConfig
  /** The process that owns the run; a run whose owner is gone was orphaned by a crash. */
  ownerPid: number
}

/** What the trainer hands over at the end, already in the store's vocabulary. */
export interface RunResults {
  step: number
  selectedStep: number
  elapsedMs: number
  reports: { val?: ClassificationReport; test?: ClassificationReport }
  curves: CurvePoint[]
  pseudoLabels: PseudoLabelSource
  /** The class prior the run used: stored in its config row under `priorUsed`. */
  prior?: RunPrior
  /** What its distillation teacher did: stored in its config row under `teacherUsed`. */
  teacher?: TeacherUsed | null
  /** Fitted on the validation posts at the end of the run (training/calibration.ts). */
  calibration?: RunCalibration
  /** The teacher's label per unlabeled post it read (teacher_labels, migration 13). */
  teacherLabels?: TeacherLabelRow[]
}

/** A stored config and the prior and teacher the run used (kept beside it in the same JSON). */
function configOf(json: string): { config: TrainingConfig; prior: RunPrior | null; teacher: TeacherUsed | null } {
  const { priorUsed, teacherUsed, ...config } = JSON.parse(json) as TrainingConfig & { priorUsed?: unknown; teacherUsed?: unknown }
  const parsed = v.safeParse(RunPrior, priorUsed)
  const teacher = v.safeParse(TeacherUsed, teacherUsed)
  return { config: config as TrainingConfig, prior: parsed.success ? parsed.output : null, teacher: teacher.success ? teacher.output : null }
}


interface RunRow {
  id: number
  project_id: number
  method: RunMethod
  preset: PresetName | ''
  status: RunStatus
  config: string
  request: string
  subset: string | null
  labels_used: string | null
  backend: string | null
  backend_reason: string | null
  error: string | null
  seed: number
  encoder: string
  step: number
  steps: number
  selected_step: number | null
  elapsed_ms: number | null
  calibration: string | null
  owner_pid: number | null
  owner_boot: string | null
  owner_seen_at: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

interface ReportRow {
  run_id: number
  split: 'val' | 'test'
  accuracy: number
  weighted_f1: number
  macro_f1: number
  report: string
}

const NO_LABELS: LabelsUsed = { total: 0, human: 0, imported: 0, pseudoAccepted: 0, correction: 0, perClass: { positive: 0, neutral: 0, negative: 0 } }
const ACTIVE = "('queued','running')"
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

const scores = (r: ReportRow): RunScores => ({ accuracy: r.accuracy, weightedF1: r.weighted_f1, macroF1: r.macro_f1 })

/** A report as stored: the scores in columns, the per-class scores and the confusion matrix as JSON. */
function reportOf(r: ReportRow): ClassificationReport {
  const { perClass, confusion } = JSON.parse(r.report) as Pick<ClassificationReport, 'perClass' | 'confusion'>
  return { ...scores(r), perClass, confusion, n: confusion.flat().reduce((a, b) => a + b, 0) }
}

// run_metrics keeps a point as (step, split, name, value): 'val.accuracy' as ('val', 'accuracy'), every series without a split under 'train'.
function metricRow(series: CurveSeries): [split: string, name: string] {
  const [split, name] = series.split('.')
  return name ? [split!, name] : ['train', series]
}
const seriesOf = (split: string, name: string): string => (split === 'train' ? name : `${split}.${name}`)

/**
 * Runs stored before the embedded pairs were versioned say 'default': they read version 1's
 * features ('default-v1'), whatever 'default' means today.
 */
const storedPair = (encoder: string): string => (encoder === 'default' ? 'default-v1' : encoder)

export class RunsRepo {
  private readonly stmt: {
    insert: Statement<unknown[]>
    byId: Statement<[number], RunRow>
    list: Statement<[number], RunRow>
    reports: Statement<[number], ReportRow>
    reportsOfProject: Statement<[number], ReportRow>
    active: Statement<[number], RunRow>
    curves: Statement<[number], { step: number; split: string; name: string; value: number }>
  }

  constructor(private readonly db: Database) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO runs (project_id, method, preset, encoder, seed, steps, request, config, owner_pid, owner_boot, owner_seen_at, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')`),
      byId: db.prepare('SELECT * FROM runs WHERE id = ?'),
      list: db.prepare('SELECT * FROM runs WHERE project_id = ? ORDER BY id DESC'),
      reports: db.prepare('SELECT * FROM run_reports WHERE run_id = ?'),
      reportsOfProject: db.prepare('SELECT rr.* FROM run_reports rr JOIN runs r ON r.id = rr.run_id WHERE r.project_id = ?'),
      active: db.prepare(`SELECT * FROM runs WHERE project_id = ? AND status IN ${ACTIVE} ORDER BY id`),
      curves: db.prepare('SELECT step, split, name, value FROM run_metrics WHERE run_id = ? ORDER BY step, id'),
    }
  }

  create(run: NewRun): number {
    const info = this.stmt.insert.run(
      run.projectId,
      run.method,
      run.preset,
      run.encoder,
      run.seed,
      run.steps,
      JSON.stringify(run.request),
      JSON.stringify(run.config),
      run.ownerPid,
      bootId(),
      Date.now(),
    )
    return Number(info.lastInsertRowid)
  }

  exists(runId: number): boolean {
    return this.stmt.byId.get(runId) !== undefined
  }

  projectOf(runId: number): number | null {
    return this.stmt.byId.get(runId)?.project_id ?? null
  }

  status(runId: number): RunStatus | null {
    return this.stmt.byId.get(runId)?.status ?? null
  }

  /** What the trainer needs to (re)start a run. */
  launchInfo(runId: number): { projectId: number; request: RunRequest; config: TrainingConfig; subset: RunSubset | null; encoder: string } | null {
    const row = this.stmt.byId.get(runId)
    if (!row) return null
    return { projectId: row.project_id, request: JSON.parse(row.request) as RunRequest, config: configOf(row.config).config, subset: subsetOf(row), encoder: storedPair(row.encoder) }
  }

  /** Queued or running runs of a project, with the process that owns each. */
  active(projectId: number): { id: number; status: RunStatus; owner: RecordedProcess | null }[] {
    return this.stmt.active.all(projectId).map((r) => ({ id: r.id, status: r.status, owner: r.owner_pid === null ? null : { pid: r.owner_pid, boot: r.owner_boot, seenAt: r.owner_seen_at } }))
  }

  /** The owner `pid` says it is still at work on these runs (those it still owns, queued or running). */
  beat(runIds: readonly number[], pid: number, at = Date.now()): void {
    const touch = this.db.prepare(`UPDATE runs SET owner_seen_at = ? WHERE id = ? AND owner_pid = ? AND status IN ${ACTIVE}`)
    this.db.transaction(() => {
      for (const id of runIds) touch.run(at, id, pid)
    })()
  }

  list(projectId: number): RunSummary[] {
    const reports = new Map<number, ReportRow[]>()
    for (const r of this.stmt.reportsOfProject.all(projectId)) reports.set(r.run_id, [...(reports.get(r.run_id) ?? []), r])
    return this.stmt.list.all(projectId).map((row) => summaryOf(row, reports.get(row.id) ?? []))
  }

  summary(runId: number): RunSummary | null {
    const row = this.stmt.byId.get(runId)
    return row ? summaryOf(row, this.stmt.reports.all(runId)) : null
  }

  detail(runId: number): RunDetail | null {
    const row = this.stmt.byId.get(runId)
    if (!row) return null
    const reports = this.stmt.reports.all(runId)
    const metrics: RunDetail['metrics'] = {}
    for (const r of reports) metrics[r.split] = reportOf(r)
    if (row.selected_step !== null) metrics.step = row.selected_step
    const curves: CurvePoint[] = []
    for (const c of this.stmt.curves.all(runId)) {
      const series = seriesOf(c.split, c.name)
      if (isCurveSeries(series)) curves.push({ step: c.step, series, value: c.value })
    }
    return {
      ...summaryOf(row, reports),
      config: configOf(row.config).config,
      request: JSON.parse(row.request) as RunRequest,
      subset: subsetOf(row),
      metrics,
      curves,
    }
  }

  /** The trainer has the run: what it computes on, the labels it drew. Refused unless the run is queued. */
  markRunning(runId: number, run: { backend: string; backendReason: string; subset: RunSubset; labels: LabelsUsed; ownerPid?: number }): boolean {
    const info = this.db
      .prepare(
        `UPDATE runs SET status = 'running', backend = ?, backend_reason = ?, subset = ?, labels_used = ?, error = NULL,
          started_at = coalesce(started_at, ${NOW}), finished_at = NULL WHERE id = ? AND status = 'queued'`,
      )
      .run(run.backend, run.backendReason, JSON.stringify(run.subset), JSON.stringify(run.labels), runId)
    return info.changes === 1
  }

  /** Steps done, as of the last checkpoint. */
  setStep(runId: number, step: number, elapsedMs: number): void {
    this.db.prepare(`UPDATE runs SET step = ?, elapsed_ms = ? WHERE id = ? AND status = 'running'`).run(step, Math.round(elapsedMs), runId)
  }

  /** A cancelled or failed run goes back to the queue to continue from its checkpoint. */
  requeue(runId: number, ownerPid: number): boolean {
    const info = this.db
      .prepare(`UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL, owner_pid = ?, owner_boot = ?, owner_seen_at = ? WHERE id = ? AND status IN ('cancelled','failed')`)
      .run(ownerPid, bootId(), Date.now(), runId)
    return info.changes === 1
  }

  /**
   * Ends a run that is still queued or running (a finished run keeps its status); true when it did.
   * `curves`: the points of the checkpoint a resume continues from (none when it starts again from
   * zero), stored in place of any earlier ones with the status, so a stopped run's page shows how far
   * it got; saveResults replaces them when the run is done. The shell, which does not read
   * checkpoints, gives none (null) and leaves what is stored.
   */
  end(runId: number, status: 'failed' | 'cancelled', error: string | null, curves: readonly CurvePoint[] | null = null): boolean {
    return this.db.transaction(() => {
      const info = this.db.prepare(`UPDATE runs SET status = ?, error = ?, finished_at = ${NOW} WHERE id = ? AND status IN ${ACTIVE}`).run(status, error, runId)
      if (info.changes !== 1 || curves === null) return info.changes === 1
      this.db.prepare('DELETE FROM run_metrics WHERE run_id = ?').run(runId)
      this.insertCurves(runId, curves)
      return true
    }).immediate()
  }

  private insertCurves(runId: number, curves: readonly CurvePoint[]): void {
    const insert = this.db.prepare('INSERT INTO run_metrics (run_id, step, split, name, value) VALUES (?, ?, ?, ?, ?)')
    for (const c of curves) if (Number.isFinite(c.value)) insert.run(runId, c.step, ...metricRow(c.series), c.value)
  }

  /**
   * Every result of a run and its 'done' status. The pseudo-labels, then their review order, are
   * written a chunk per transaction (pseudo-label-writer.ts); the reports, curves and the status land together in the
   * last one, so a reader sees all of a run's results or none (only a done run is shown). Throws
   * unless the run is running, at the start or at the end (cancelled meanwhile): then the rows it
   * wrote are removed again.
   */
  async saveResults(runId: number, results: RunResults, write: ChunkedWrite = {}): Promise<void> {
    const db = this.db
    const notRunning = (): Error => new Error(`run ${runId} is no longer running; its results were not saved`)
    const insertReport = db.prepare('INSERT INTO run_reports (run_id, split, accuracy, weighted_f1, macro_f1, report) VALUES (?, ?, ?, ?, ?, ?)')
    // The run's review order and counts go with its old pseudo-labels. The order is written whole
    // after the rows (replacing any a page made of the rows half written); the counts are kept as the
    // rows are written (writePseudoLabels), so a page that counted the rows half written (ReviewRepo.recount)
    // counted what was there then, and the chunks after it add theirs.
    const clear = (tables: string[]): void => {
      for (const table of tables) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId)
    }
    db.transaction(() => {
      if (!db.prepare(`SELECT 1 FROM runs WHERE id = ? AND status = 'running'`).get(runId)) throw notRunning()
      clear(['run_reports', 'run_metrics', 'pseudo_labels', 'review_order', 'review_counts'])
    }).immediate()
    try {
      await writePseudoLabels(db, runId, results.pseudoLabels, write)
      // The review order goes with them (a chunk per transaction too): the first review page is then a paged read.
      const order = reviewOrder(results.pseudoLabels, riskModelOf(results.calibration ?? null))
      await writeReviewOrder(db, runId, order, write)
      db.transaction(() => {
        for (const split of ['val', 'test'] as const) {
          const r = results.reports[split]
          if (r) insertReport.run(runId, split, r.accuracy, r.weightedF1, r.macroF1, JSON.stringify({ perClass: r.perClass, confusion: r.confusion }))
        }
        this.insertCurves(runId, results.curves)
        if (results.prior) db.prepare(`UPDATE runs SET config = json_set(config, '$.priorUsed', json(?)) WHERE id = ?`).run(JSON.stringify(results.prior), runId)
        if (results.teacher) db.prepare(`UPDATE runs SET config = json_set(config, '$.teacherUsed', json(?)) WHERE id = ?`).run(JSON.stringify(results.teacher), runId)
        writeTeacherLabels(db, runId, results.teacherLabels ?? [])
        const done = db
          .prepare(`UPDATE runs SET status = 'done', step = ?, selected_step = ?, elapsed_ms = ?, calibration = ?, error = NULL, finished_at = ${NOW} WHERE id = ? AND status = 'running'`)
          .run(results.step, results.selectedStep, Math.round(results.elapsedMs), results.calibration ? JSON.stringify(results.calibration) : null, runId)
        if (done.changes !== 1) throw notRunning()
      }).immediate()
    } catch (err) {
      db.transaction(() => clear(['pseudo_labels', 'review_order', 'review_counts'])).immediate()
      throw err
    }
  }

  /** The run's calibration, or null for a run without one (not finished, or finished before v8). */
  calibration(runId: number): RunCalibration | null {
    const row = this.db.prepare<[number], { calibration: string | null }>('SELECT calibration FROM runs WHERE id = ?').get(runId)
    return row?.calibration ? (JSON.parse(row.calibration) as RunCalibration) : null
  }

  /** Deletes a run that is not queued or running (its metrics and pseudo-labels go with it). */
  delete(runId: number): boolean {
    return this.db.prepare(`DELETE FROM runs WHERE id = ? AND status NOT IN ${ACTIVE}`).run(runId).changes === 1
  }
}

function summaryOf(row: RunRow, reports: ReportRow[]): RunSummary {
  const summary: RunSummary = {
    id: row.id,
    projectId: row.project_id,
    method: row.method,
    preset: row.preset,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    backend: row.backend,
    backendReason: row.backend_reason,
    error: row.error,
    seed: row.seed,
    encoder: storedPair(row.encoder),
    steps: row.steps,
    step: row.step,
    labels: row.labels_used ? (JSON.parse(row.labels_used) as LabelsUsed) : NO_LABELS,
    elapsedMs: row.elapsed_ms,
    prior: configOf(row.config).prior,
    teacher: configOf(row.config).teacher,
  }
  if (row.calibration) summary.confidence = runConfidenceOf(JSON.parse(row.calibration) as RunCalibration)
  for (const r of reports) summary[r.split] = scores(r)
  const test = reports.find((r) => r.split === 'test')
  if (test) {
    const trained = CONFUSION_ORDER.map((s) => summary.labels.perClass[s])
    const majority = majorityBaseline(truthCounts(reportOf(test).confusion), majorityBasis(trained, summary.prior), CONFUSION_ORDER)
    summary.baselines = { majority: majority && { label: majority.label, test: scoresOf(majority.report) }, probe: null }
  }
  return summary
}

const scoresOf = (r: RunScores): RunScores => ({ accuracy: r.accuracy, weightedF1: r.weightedF1, macroF1: r.macroF1 })

const subsetOf = (row: RunRow): RunSubset | null => (row.subset ? (JSON.parse(row.subset) as RunSubset) : null)
