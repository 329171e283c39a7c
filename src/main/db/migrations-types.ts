/** One forward step of the schema (migrations.ts lists them in order). */
export interface Migration {
  version: number
  name: string
  sql: string
  /** Rebuilds a table other tables reference: run with foreign keys off, checked before commit. */
  foreignKeysOff?: boolean
}
