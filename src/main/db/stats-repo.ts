import type { Database, Statement } from 'better-sqlite3'
import {
  MODALITIES,
  SPLITS,
  type AnnotationSource,
  type CountBySentiment,
  type Modality,
  type ProjectStats,
  type Sentiment,
  type Split,
} from '../../shared/domain'

interface CountRow {
  split: Split
  label_overall: Sentiment | null
  label_text: Sentiment | null
  label_image: Sentiment | null
  conflict: number
  n: number
}

const zeroCounts = (): CountBySentiment => ({ positive: 0, neutral: 0, negative: 0 })

export class StatsRepo {
  private readonly countsStmt: Statement<[number], CountRow>
  private readonly annotatorStmt: Statement<[number], { annotator: string; source: AnnotationSource; n: number }>

  constructor(db: Database) {
    // One walk of the covering index posts_project_counts; at most a few hundred groups come back.
    this.countsStmt = db.prepare(`SELECT split, label_overall, label_text, label_image, conflict, count(*) AS n
      FROM posts WHERE project_id = ? GROUP BY split, label_overall, label_text, label_image, conflict`)
    this.annotatorStmt = db.prepare(`SELECT annotator, source, count(*) AS n FROM annotations
      WHERE project_id = ? GROUP BY annotator, source ORDER BY annotator, source`)
  }

  forProject(projectId: number): ProjectStats {
    const splits = Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>
    const labels = Object.fromEntries(MODALITIES.map((m) => [m, zeroCounts()])) as Record<Modality, CountBySentiment>
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
