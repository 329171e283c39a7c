// The 100,000-post project the benchmarks measure against: every post has imported text and
// image labels, four in five an overall label, in all four splits.
import type { Database } from 'better-sqlite3'
import path from 'node:path'
import { createBackend, type Backend, type BackendOptions } from '#main/app/backend'
import { openStore } from '#main/db/store'
import { SENTIMENTS, SPLITS } from '#shared/vocabulary'

export const POSTS = 100_000

export function fillProject(db: Database, projectId: number, posts = POSTS): void {
  const sourceId = Number(db.prepare("INSERT INTO sources (project_id, root, format) VALUES (?, '/bench', 'folder')").run(projectId).lastInsertRowid)
  const post = db.prepare(`INSERT INTO posts (project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
    VALUES (?, ?, ?, ?, ?, ?, 384, 288, ?)`)
  const label = db.prepare("INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES (?, ?, ?, ?, 'imported', 'bench')")
  db.transaction(() => {
    for (let i = 0; i < posts; i++) {
      const id = Number(
        post.run(projectId, sourceId, `p${i}`, `post number ${i} #bench @someone https://example.org/${i}`, `img/${i}.jpg`, `${i}`.padStart(64, '0'), SPLITS[i % 4]!).lastInsertRowid,
      )
      label.run(projectId, id, 'text', SENTIMENTS[i % 3]!)
      label.run(projectId, id, 'image', SENTIMENTS[(i >> 1) % 3]!)
      if (i % 5 !== 0) label.run(projectId, id, 'overall', SENTIMENTS[(i * 7) % 3]!)
    }
  })()
}

/** A back end on a fresh store in `dir` whose one project (named `name`) holds the filled posts. */
export function filledBackend(dir: string, name: string, options: Pick<BackendOptions, 'readThread'> = {}): { backend: Backend; projectId: number } {
  const dbPath = path.join(dir, `${name}.db`)
  const seeded = openStore(dbPath)
  const projectId = seeded.projects.create(name).id
  fillProject(seeded.db, projectId)
  seeded.close()
  return { backend: createBackend({ dbPath, shell: { shell: 'browser' }, ...options }), projectId }
}
