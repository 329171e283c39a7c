// The people of a project, as the name dialog lists them: everyone who labeled, corrected or
// reviewed there (the import's own "annotators", such as `mvsa` or `import:file.json`, are not
// people), and the names added in this browser who have not labeled yet. Pure: unit-tested in Node.
import type { ProjectStats } from '#shared/projects'

export interface ProjectPerson {
  name: string
  /** Labels, corrections and review decisions recorded under the name (whole history). */
  labels: number
}

export function projectPeople(counts: ProjectStats['annotators'], added: readonly string[]): ProjectPerson[] {
  const byName = new Map<string, number>()
  for (const c of counts) {
    if (c.source === 'imported') continue
    byName.set(c.annotator, (byName.get(c.annotator) ?? 0) + c.count)
  }
  for (const name of added) if (!byName.has(name)) byName.set(name, 0)
  return [...byName]
    .map(([name, labels]) => ({ name, labels }))
    .sort((a, b) => b.labels - a.labels || a.name.localeCompare(b.name))
}
