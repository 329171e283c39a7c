import type { Database, Statement } from 'better-sqlite3'
import {
  MODALITIES,
  SENTIMENTS,
  SPLITS,
  type AnnotationSource,
  type CountBySentiment,
  type Modality,
  type ProjectStats,
  type Sentiment,
  type Split,
} from '../../shared/domain'

const zeroCounts = (): CountBySentiment => ({ positive: 0, neutral: 0, negative: 0 })
const bySplit = <T>(make: () => T): Record<Split, T> =>
  Object.fromEntries(SPLITS.map((s) => [s, make()])) as Record<Split, T>

export class StatsRepo {
  private readonly splitStmt: Statement<[number], { split: Split; n: number; conflicts: number }>
  private readonly labelStmt: Statement<[number], { modality: Modality; label: Sentiment; n: number }>
  private readonly overallBySplitStmt: Statement<[number], { split: Split; label: Sentiment | null; n: number }>
  private readonly annotatorStmt: Statement<[number], { annotator: string; source: AnnotationSource; n: number }>

  constructor(db: Database) {
    this.splitStmt = db.prepare(
      'SELECT split, count(*) AS n, sum(conflict) AS conflicts FROM posts WHERE project_id = ? GROUP BY split',
    )
    this.labelStmt = db.prepare(`SELECT c.modality, c.label, count(*) AS n FROM current_labels c
      JOIN posts p ON p.id = c.post_id WHERE p.project_id = ? GROUP BY c.modality, c.label`)
    this.overallBySplitStmt = db.prepare(`SELECT p.split, c.label, count(*) AS n FROM posts p
      LEFT JOIN current_labels c ON c.post_id = p.id AND c.modality = 'overall'
      WHERE p.project_id = ? GROUP BY p.split, c.label`)
    this.annotatorStmt = db.prepare(`SELECT a.annotator, a.source, count(*) AS n FROM annotations a
      JOIN posts p ON p.id = a.post_id WHERE p.project_id = ? GROUP BY a.annotator, a.source ORDER BY a.annotator, a.source`)
  }

  forProject(projectId: number): ProjectStats {
    const splits = bySplit(() => 0)
    let total = 0
    let conflicts = 0
    for (const r of this.splitStmt.all(projectId)) {
      splits[r.split] = r.n
      total += r.n
      conflicts += r.conflicts
    }
    const labels = Object.fromEntries(MODALITIES.map((m) => [m, zeroCounts()])) as Record<Modality, CountBySentiment>
    for (const r of this.labelStmt.all(projectId)) labels[r.modality][r.label] = r.n
    const overallBySplit = bySplit(() => ({ ...zeroCounts(), unlabeled: 0 }))
    for (const r of this.overallBySplitStmt.all(projectId)) {
      if (r.label && (SENTIMENTS as readonly string[]).includes(r.label)) overallBySplit[r.split][r.label] = r.n
      else overallBySplit[r.split].unlabeled = r.n
    }
    const annotators = this.annotatorStmt.all(projectId).map((r) => ({ annotator: r.annotator, source: r.source, count: r.n }))
    return { projectId, total, splits, labels, overallBySplit, conflicts, annotators }
  }
}
