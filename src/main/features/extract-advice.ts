// What a refusal for want of features tells a person to do. The same message reaches the app (the
// Predict and Label check dialogs, the run launcher) and the CLI, so it names both ways to extract.
import type { Database } from 'better-sqlite3'

/** The project as `--project` takes it on a shell's command line: its name, quoted when it needs to be. */
function projectArgument(db: Database, projectId: number): string {
  const name = db.prepare<[number], string>('SELECT name FROM projects WHERE id = ?').pluck().get(projectId) ?? '<name>'
  return /^[\w.-]+$/.test(name) ? name : JSON.stringify(name)
}

/**
 * "Features… on the project page, or `common-ground extract --project demo --encoder default-v2`",
 * region features (`regions`, the grid's side) through their own button and flag.
 */
export function extractAdvice(db: Database, projectId: number, pair: string, regions?: number): string {
  const where = regions ? 'Extract region features in Features… on the project page' : 'Features… on the project page'
  return `${where}, or \`common-ground extract --project ${projectArgument(db, projectId)} --encoder ${pair}${regions ? ` --regions ${regions}` : ''}\``
}
