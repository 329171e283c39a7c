import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveInside } from '#main/core/safe-path'
import { parseMediaPath, sourceMediaPath } from '#main/media/media-path'
import { runImport } from '#main/datasets/run-import'
import { testBackend } from './support/backend'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

describe('resolving a path inside a folder', () => {
  const setup = (): { root: string; outside: string } => {
    const base = tempDir()
    const root = path.join(base, 'root')
    mkdirSync(path.join(root, 'sub'), { recursive: true })
    writeFileSync(path.join(root, 'sub', 'ok.jpg'), 'x')
    const outside = path.join(base, 'secret.jpg')
    writeFileSync(outside, 'secret')
    return { root, outside }
  }

  it('finds a file inside', async () => {
    const { root } = setup()
    expect(await resolveInside(root, 'sub/ok.jpg')).toBe(path.join(root, 'sub', 'ok.jpg'))
  })

  it('refuses .., absolute paths, NUL bytes and symlinks that leave the folder', async () => {
    const { root, outside } = setup()
    symlinkSync(outside, path.join(root, 'link.jpg'))
    for (const bad of ['../secret.jpg', 'sub/../../secret.jpg', outside, '/etc/passwd', 'sub\\..\\..\\secret.jpg', 'ok.jpg\0', 'link.jpg', '']) {
      expect(await resolveInside(root, bad), bad).toBeNull()
    }
  })
})

describe('serving project media', () => {
  it('serves a project image and its thumbnail, and nothing of another project', async () => {
    const backend = testBackend()
    const dir = tempDir()
    writeFileSync(path.join(dir, 'a.jpg'), await jpeg(3))
    writeFileSync(path.join(dir, 'a.txt'), 'hello')
    const mine = backend.store.projects.create('mine')
    const other = backend.store.projects.create('other')
    await runImport({ store: backend.store, projectId: mine.id, path: dir })
    const [row] = backend.store.posts.page({ projectId: mine.id, offset: 0, limit: 1 }).rows
    expect((await backend.media.resolve(row!.image))?.file).toBe(path.join(dir, 'a.jpg'))
    expect((await backend.media.resolve(row!.thumb))?.contentType).toBe('image/jpeg')
    // Same source id under another project, a traversal, and a non-image file are all refused.
    const ref = parseMediaPath(row!.image)!
    expect(ref.kind).toBe('source')
    if (ref.kind !== 'source') return
    expect(await backend.media.resolve(sourceMediaPath(other.id, ref.sourceId, 'a.jpg'))).toBeNull()
    expect(await backend.media.resolve(`p/${mine.id}/s/${ref.sourceId}/a.txt`)).toBeNull()
    expect(await backend.media.resolve(`p/${mine.id}/s/${ref.sourceId}/%2e%2e/a.jpg`)).toBeNull()
    expect(await backend.media.resolve(`p/${mine.id}/thumbs/..%2f..%2fstore.db`)).toBeNull()
  })

  it("still serves a thumbnail an older release stored as WebP", async () => {
    const backend = testBackend()
    const dir = tempDir()
    writeFileSync(path.join(dir, 'a.jpg'), await jpeg(3))
    writeFileSync(path.join(dir, 'a.txt'), 'hello')
    const project = backend.store.projects.create('old')
    await runImport({ store: backend.store, projectId: project.id, path: dir })
    const [row] = backend.store.posts.page({ projectId: project.id, offset: 0, limit: 1 }).rows
    const jpg = (await backend.media.resolve(row!.thumb))!.file
    renameSync(jpg, jpg.replace(/\.jpg$/, '.webp'))
    expect(await backend.media.resolve(row!.thumb)).toEqual({ file: jpg.replace(/\.jpg$/, '.webp'), contentType: 'image/webp' })
  })
})
