import { spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { runImport } from '#main/datasets/run-import'
import { writeImport } from '#main/db/import-writer'
import { testBackend } from './support/backend'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

const CLI = fileURLToPath(new URL('../../bin/common-ground.mjs', import.meta.url))

async function folderOf(n: number, size = 48): Promise<string> {
  const dir = tempDir('cg-folder-')
  for (let i = 0; i < n; i++) {
    writeFileSync(path.join(dir, `post${i}.jpg`), await jpeg(i, size))
    writeFileSync(path.join(dir, `post${i}.txt`), `text ${i}`)
  }
  return dir
}

describe('an import that does not finish writes nothing', () => {
  it('cancelled half-way: no post, no source, and the earlier data intact', async () => {
    const { store } = testBackend()
    const project = store.projects.create('p')
    await runImport({ store, projectId: project.id, path: await folderOf(3) })
    const big = await folderOf(60)
    const controller = new AbortController()
    const run = runImport({
      store,
      projectId: project.id,
      path: big,
      signal: controller.signal,
      onProgress: (u) => {
        if (u.phase === 'images' && u.done === 20) controller.abort()
      },
    })
    await expect(run).rejects.toThrow()
    expect(store.projects.get(project.id)!.postCount).toBe(3)
    expect(store.db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 1 })
  })

  it('a failure inside the write rolls the whole import back', () => {
    const { store } = testBackend()
    const project = store.projects.create('p')
    const post = { externalId: 'x', text: 't', imagePath: 'x.jpg', imageHash: 'h', width: 1, height: 1, split: 'train' as const, conflict: false }
    const bad = { ...post, externalId: 'y', labels: [{ modality: 'overall' as const, label: 'awful' as never, annotator: 'a' }] }
    expect(() => writeImport(store, project.id, '/d', 'folder', [{ ...post, labels: [] }, bad], () => ({}))).toThrow()
    expect(store.projects.get(project.id)!.postCount).toBe(0)
    expect(store.db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 })
  })

  it('killed with SIGKILL mid-import: the store opens cleanly and holds none of it', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'store.db')
    const source = await folderOf(120, 640)
    const child = spawn(process.execPath, [CLI, 'import', source, '--project', 'k', '--db', db], { stdio: 'ignore' })
    // Kill once thumbnails start appearing: the import is past reading and inside image checks.
    const thumbs = path.join(dir, 'store.media', 'project-1', 'thumbs')
    await new Promise<void>((resolve, reject) => {
      const started = Date.now()
      const timer = setInterval(() => {
        let n = 0
        try {
          n = readdirSync(thumbs).filter((f) => f.endsWith('.jpg')).length
        } catch {
          // not created yet
        }
        if (n >= 5) {
          clearInterval(timer)
          child.kill('SIGKILL')
          resolve()
        } else if (Date.now() - started > 60_000 || child.exitCode !== null) {
          clearInterval(timer)
          reject(new Error(`import finished or stalled before it could be killed (thumbnails: ${n})`))
        }
      }, 20)
    })
    await new Promise((r) => child.once('exit', r))
    const store = openStore(db)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(store.projects.byName('k')!.postCount).toBe(0)
    expect(store.db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 })
    store.close()
    // Every thumbnail under its final name is whole (they are written, then renamed).
    const finals = readdirSync(thumbs).filter((f) => f.endsWith('.jpg'))
    expect(finals.length).toBeGreaterThanOrEqual(5)
    for (const f of finals) expect((await sharp(path.join(thumbs, f)).stats()).channels.length).toBeGreaterThan(0)
  })
})
