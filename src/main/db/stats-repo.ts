import type { Database, Statement } from 'better-sqlite3'
import { LABELING_SOURCES, type AnnotatorLabelCounts, type LabelCoverage } from '#shared/labeling'
import type { ProjectStats } from '#shared/projects'
import { MODALITIES, SPLITS, type AnnotationSource, type CountBySentiment, type Modality, type Sentiment, type Split } from '#shared/vocabulary'

interface CountRow {
  split: Split
  label_overall: Sentiment | null
  label_text: Sentiment | null
  label_image: Sentiment | null
  conflict: number
  n: number
}

interface AnnotatorLabelRow {
  annotator: string
  modality: Modality
  label: Sentiment
  n: number
}

const zeroCounts = (): CountBySentiment => ({ positive: 0, neutral: 0, negative: 0 })
const zeroByModality = (): Record<Modality, CountBySentiment> =>
  Object.fromEntries(MODALITIES.map((m) => [m, zeroCounts()])) as Record<Modality, CountBySentiment>

export class StatsRepo {
  private readonly countsStmt: Statement<[number], CountRow>
  private readonly annotatorStmt: Statement<[number], { annotator: string; source: AnnotationSource; n: number }>
  private readonly annotatorLabelsStmt: Statement<[number], AnnotatorLabelRow>
  private readonly labelerLabelsStmt: Statement<[number], AnnotatorLabelRow>
  private readonly labelCountsStmt: Statement<[number], { modality: Modality; label: Sentiment; n: number }>
  private readonly postCountStmt: Statement<[number], { n: number }>
  private readonly coverageStmt: Statement<[number], { conflict: number; labeled: number; n: number }>

  constructor(db: Database) {
    // The counts the triggers of migration 8 keep: at most a few hundred rows, however many posts.
    this.countsStmt = db.prepare(`SELECT split, nullif(label_overall, '') AS label_overall, nullif(label_text, '') AS label_text,
      nullif(label_image, '') AS label_image, conflict, n FROM post_counts WHERE project_id = ? AND n > 0`)
    this.annotatorStmt = db.prepare(`SELECT annotator, source, n FROM annotator_counts
      WHERE project_id = ? AND n > 0 ORDER BY annotator, source`)
    // Each annotator's latest row per post and modality (SQLite takes the bare `label` from the
    // max(id) row), counted per class; a cleared label counts nowhere.
    const latestPerAnnotator = (labelersOnly: boolean): string => `SELECT annotator, modality, label, count(*) AS n FROM (
        SELECT annotator, modality, label, max(id) FROM annotations${labelersOnly ? ' INDEXED BY annotations_project_source' : ''}
        WHERE project_id = ?${labelersOnly ? ` AND source IN (${LABELING_SOURCES.map((s) => `'${s}'`).join(', ')})` : ''}
        GROUP BY annotator, post_id, modality)
      WHERE label IS NOT NULL GROUP BY annotator, modality, label ORDER BY annotator`
    this.annotatorLabelsStmt = db.prepare(latestPerAnnotator(false))
    this.labelerLabelsStmt = db.prepare(latestPerAnnotator(true))
    this.labelCountsStmt = db.prepare('SELECT modality, label, n FROM label_counts WHERE project_id = ?')
    this.postCountStmt = db.prepare('SELECT count(*) AS n FROM posts WHERE project_id = ?')
    this.coverageStmt = db.prepare(`SELECT (conflict <> 0 OR split = 'conflict') AS conflict, label_overall IS NOT NULL AS labeled, count(*) AS n
      FROM posts WHERE project_id = ? GROUP BY 1, 2`)
  }

  /** Current labels per modality and class, from the counts the triggers of migration 3 keep. */
  labelCounts(projectId: number): Record<Modality, CountBySentiment> {
    const labels = zeroByModality()
    for (const r of this.labelCountsStmt.all(projectId)) labels[r.modality][r.label] = r.n
    return labels
  }

  /** Posts training can use and conflict posts (which it leaves out), each with how many have an overall label. */
  coverage(projectId: number): LabelCoverage {
    const c: LabelCoverage = { usable: 0, usableLabeled: 0, conflict: 0, conflictLabeled: 0 }
    for (const r of this.coverageStmt.all(projectId)) {
      if (r.conflict) c.conflict += r.n
      else c.usable += r.n
      if (r.labeled && r.conflict) c.conflictLabeled += r.n
      else if (r.labeled) c.usableLabeled += r.n
    }
    return c
  }

  postCount(projectId: number): number {
    return this.postCountStmt.get(projectId)!.n
  }

  /**
   * Current labels per annotator, modality and class. `labelers` keeps to people labeling here
   * (human and correction rows), which stays fast however large the imported history is.
   */
  annotatorLabels(projectId: number, only: 'all' | 'labelers' = 'all'): AnnotatorLabelCounts[] {
    const counts = new Map<string, AnnotatorLabelCounts>()
    for (const r of (only === 'all' ? this.annotatorLabelsStmt : this.labelerLabelsStmt).all(projectId)) {
      let entry = counts.get(r.annotator)
      if (!entry) counts.set(r.annotator, (entry = { annotator: r.annotator, labels: zeroByModality() }))
      entry.labels[r.modality][r.label] += r.n
    }
    return [...counts.values()]
  }

  forProject(projectId: number): ProjectStats {
    const splits = Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>
    const labels = zeroByModality()
    const overallBySplit = Object.fromEntries(SPLITS.map((s) => [s, { ...zeroCounts(), unlabeled: 0 }])) as ProjectStats['overallBySplit']
    let total = 0
    let conflicts = 0
    for (const r of this.countsStmt.all(projectId)) {
      total += r.n
      splits[r.split] += r.n
      if (r.conflict) conflicts += r.n
      const current: Record<Modality, Sentiment | null> = { overall: r.label_overall, text: r.label_text, image: r.label_image }
      for (const m of MODALITIES) if (current[m]) labels[m][current[m]] += r.n
      overallBySplit[r.split][r.label_overall ?? 'unlabeled'] += r.n
    }
    const annotators = this.annotatorStmt.all(projectId).map((r) => ({ annotator: r.annotator, source: r.source, count: r.n }))
    return { projectId, total, splits, labels, overallBySplit, conflicts, annotators }
  }
}
