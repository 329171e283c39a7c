import type { Database } from 'better-sqlite3'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations'

export const schemaVersionOf = (db: Database): number => db.pragma('user_version', { simple: true }) as number

/**
 * Brings `db` forward to `target` (default: latest), one transaction per migration, so a crash
 * leaves the database at the last version that completed. A database from a newer release is refused.
 */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersionOf(db)
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(
      `This database has schema version ${current}, newer than this release understands (${LATEST_SCHEMA_VERSION}). Update Common Ground.`,
    )
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  const reached = schemaVersionOf(db)
  const fkProblems = db.pragma('foreign_key_check') as unknown[]
  if (fkProblems.length > 0) throw new Error(`Database failed its foreign key check after migration (${fkProblems.length} rows)`)
  return reached
}
