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
    // SQLite ignores this pragma inside a transaction, so it is set around it (the 12-step table change).
    const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1
    if (migration.foreignKeysOff) db.pragma('foreign_keys = OFF')
    try {
      db.transaction(() => {
        db.exec(migration.sql)
        if (migration.foreignKeysOff) checkForeignKeys(db, migration)
        db.pragma(`user_version = ${migration.version}`)
      })()
    } finally {
      if (migration.foreignKeysOff && keysWereOn) db.pragma('foreign_keys = ON')
    }
  }
  const reached = schemaVersionOf(db)
  const fkProblems = db.pragma('foreign_key_check') as unknown[]
  if (fkProblems.length > 0) throw new Error(`Database failed its foreign key check after migration (${fkProblems.length} rows)`)
  return reached
}

function checkForeignKeys(db: Database, migration: Migration): void {
  const problems = db.pragma('foreign_key_check') as unknown[]
  if (problems.length > 0) throw new Error(`Migration ${migration.version} (${migration.name}) broke ${problems.length} foreign keys; rolled back`)
}
