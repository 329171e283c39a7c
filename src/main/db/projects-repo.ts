import type { Database, Statement } from 'better-sqlite3'
import type { ProjectSummary } from '../../shared/domain'

interface ProjectRow {
  id: number
  name: string
  description: string
  created_at: string
  post_count: number
}

const toSummary = (r: ProjectRow): ProjectSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  postCount: r.post_count,
})

const SELECT = `SELECT p.id, p.name, p.description, p.created_at,
  (SELECT count(*) FROM posts WHERE project_id = p.id) AS post_count FROM projects p`

export class ProjectsRepo {
  private readonly listStmt: Statement<[], ProjectRow>
  private readonly byIdStmt: Statement<[number], ProjectRow>
  private readonly byNameStmt: Statement<[string], ProjectRow>
  private readonly insertStmt: Statement<[string, string]>
  private readonly deleteStmt: Statement<[number]>

  constructor(private readonly db: Database) {
    this.listStmt = db.prepare(`${SELECT} ORDER BY p.created_at DESC, p.id DESC`)
    this.byIdStmt = db.prepare(`${SELECT} WHERE p.id = ?`)
    this.byNameStmt = db.prepare(`${SELECT} WHERE p.name = ? COLLATE NOCASE`)
    this.insertStmt = db.prepare('INSERT INTO projects (name, description) VALUES (?, ?)')
    this.deleteStmt = db.prepare('DELETE FROM projects WHERE id = ?')
  }

  list(): ProjectSummary[] {
    return this.listStmt.all().map(toSummary)
  }

  get(id: number): ProjectSummary | null {
    const row = this.byIdStmt.get(id)
    return row ? toSummary(row) : null
  }

  byName(name: string): ProjectSummary | null {
    const row = this.byNameStmt.get(name.trim())
    return row ? toSummary(row) : null
  }

  exists(id: number): boolean {
    return this.byIdStmt.get(id) !== undefined
  }

  create(name: string, description = ''): ProjectSummary {
    const info = this.insertStmt.run(name.trim(), description.trim())
    return this.get(Number(info.lastInsertRowid))!
  }

  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0
  }
}
