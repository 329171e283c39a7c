import type { Database, Statement } from 'better-sqlite3'

/** Prepared statements for SQL built at run time from a filter: each distinct text is prepared once. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Database) {}

  get(sql: string): Statement {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      stmt = this.db.prepare(sql)
      this.statements.set(sql, stmt)
    }
    return stmt
  }
}
