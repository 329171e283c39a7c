import type { Database, Statement } from 'better-sqlite3'
import type { ProjectSummary } from '#shared/projects'

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
  private readonly existsStmt: Statement<[number], { id: number }>
  private readonly byNameStmt: Statement<[string], ProjectRow>
  private readonly insertStmt: Statement<[string, string]>
  private readonly updateStmt: Statement<[string, string, number]>
  private readonly deleteStmt: Statement<[number]>
  private readonly targetStmt: Statement<[number], { label_target: number | null }>
  private readonly setTargetStmt: Statement<[number | null, number]>

  constructor(private readonly db: Database) {
    this.listStmt = db.prepare(`${SELECT} ORDER BY p.created_at DESC, p.id DESC`)
    this.byIdStmt = db.prepare(`${SELECT} WHERE p.id = ?`)
    // Every request checks its project: without counting its posts, which costs ms at 100,000.
    this.existsStmt = db.prepare('SELECT id FROM projects WHERE id = ?')
    this.byNameStmt = db.prepare(`${SELECT} WHERE p.name = ? COLLATE NOCASE`)
    this.insertStmt = db.prepare('INSERT INTO projects (name, description) VALUES (?, ?)')
    this.updateStmt = db.prepare('UPDATE projects SET name = ?, description = ? WHERE id = ?')
    this.deleteStmt = db.prepare('DELETE FROM projects WHERE id = ?')
    this.targetStmt = db.prepare('SELECT label_target FROM projects WHERE id = ?')
    this.setTargetStmt = db.prepare('UPDATE projects SET label_target = ? WHERE id = ?')
  }

  /** How many labeled posts the team aims for; null when nobody set it. */
  labelTarget(id: number): number | null {
    return this.targetStmt.get(id)?.label_target ?? null
  }

  setLabelTarget(id: number, target: number | null): void {
    this.setTargetStmt.run(target, id)
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
    return this.existsStmt.get(id) !== undefined
  }

  create(name: string, description = ''): ProjectSummary {
    const info = this.insertStmt.run(name.trim(), description.trim())
    return this.get(Number(info.lastInsertRowid))!
  }

  /** Its name and description, trimmed as at creation; null when there is no such project. */
  update(id: number, name: string, description: string): ProjectSummary | null {
    this.updateStmt.run(name.trim(), description.trim(), id)
    return this.get(id)
  }

  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0
  }
}
