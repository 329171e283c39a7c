import type { Database, Statement } from 'better-sqlite3'
import type { ImportFormat } from '#shared/imports'

export class SourcesRepo {
  private readonly rootStmt: Statement<[number, number], { root: string }>
  private readonly insertStmt: Statement<[number, string, string, string]>
  private readonly setReportStmt: Statement<[string, number]>
  private readonly latestStmt: Statement<[number], { root: string }>
  private readonly reportStmt: Statement<[number, number], { report: string }>

  constructor(db: Database) {
    this.rootStmt = db.prepare('SELECT root FROM sources WHERE project_id = ? AND id = ?')
    this.insertStmt = db.prepare('INSERT INTO sources (project_id, root, format, report) VALUES (?, ?, ?, ?)')
    this.setReportStmt = db.prepare('UPDATE sources SET report = ? WHERE id = ?')
    this.latestStmt = db.prepare('SELECT root FROM sources WHERE project_id = ? ORDER BY id DESC LIMIT 1')
    this.reportStmt = db.prepare('SELECT report FROM sources WHERE project_id = ? AND id = ?')
  }

  /** The folder a source was imported from, if that source belongs to the project. */
  rootOf(projectId: number, sourceId: number): string | null {
    return this.rootStmt.get(projectId, sourceId)?.root ?? null
  }

  /** The folder or file of the project's latest import, or null before any. */
  latestRoot(projectId: number): string | null {
    return this.latestStmt.get(projectId)?.root ?? null
  }

  /** The report stored with a source of the project (parsed), or undefined when there is no such source. */
  report(projectId: number, sourceId: number): unknown {
    const row = this.reportStmt.get(projectId, sourceId)
    return row && (JSON.parse(row.report) as unknown)
  }

  insert(projectId: number, root: string, format: ImportFormat): number {
    return Number(this.insertStmt.run(projectId, root, format, '{}').lastInsertRowid)
  }

  setReport(sourceId: number, report: unknown): void {
    this.setReportStmt.run(JSON.stringify(report), sourceId)
  }
}
