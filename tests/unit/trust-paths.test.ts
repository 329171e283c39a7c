// Issue 12, findings 2 and 3: what browser mode may read and write. Every path a request names is
// resolved with realpath and must lie inside a granted root; importers do not follow symlinks out
// of the data set.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '#main/datasets/run-import'
import { testBackend } from './support/backend'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

/** A granted folder holding a tiny CSV data set, and a folder beside it that was not granted. */
async function grantedAndNot(): Promise<{ granted: string; outside: string }> {
  const base = tempDir('cg-roots-')
  const granted = path.join(base, 'granted')
  const outside = path.join(base, 'outside')
  mkdirSync(granted)
  mkdirSync(outside)
  for (const dir of [granted, outside]) {
    writeFileSync(path.join(dir, 'a.jpg'), await jpeg(1))
    writeFileSync(path.join(dir, 'posts.csv'), 'id,text,image,label\n1,hello,a.jpg,positive\n')
  }
  writeFileSync(path.join(outside, 'precious.txt'), 'keep me')
  return { granted, outside }
}

describe('browser mode touches only the folders it was granted (finding 2)', () => {
  it('refuses to list, detect, import or export outside the granted roots, symlinks included', async () => {
    const { granted, outside } = await grantedAndNot()
    symlinkSync(outside, path.join(granted, 'link-out'))
    const backend = testBackend({ shell: { shell: 'browser', roots: [granted] } })
    const project = await backend.call('projects.create', { name: 'roots' })

    const refusals: Array<[string, unknown]> = [
      ['system.listDir', { path: outside }],
      ['system.listDir', { path: path.join(granted, 'link-out') }],
      ['imports.start', { projectId: project.id, path: path.join(outside, 'posts.csv') }],
      ['imports.start', { projectId: project.id, path: path.join(granted, 'link-out', 'posts.csv') }],
      ['exports.labels', { projectId: project.id, format: 'csv', path: path.join(outside, 'precious.txt') }],
      ['exports.labels', { projectId: project.id, format: 'csv', path: path.join(granted, 'link-out', 'precious.txt') }],
      ['exports.labels', { projectId: project.id, format: 'csv', path: path.join(granted, '..', 'outside', 'x.csv') }],
      ['system.makeDir', { parent: outside, name: 'new' }],
      ['system.makeDir', { parent: path.join(granted, 'link-out'), name: 'new' }],
    ]
    for (const [method, payload] of refusals) {
      const reply = await backend.dispatch(method, payload)
      expect(reply, `${method} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('outside the folders this server may use') } })
    }
    const detected = await backend.call('imports.detect', { path: outside })
    expect(detected).toMatchObject({ format: null, reason: expect.stringContaining('outside the folders') })
    expect(readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me')
    expect(existsSync(path.join(outside, 'new'))).toBe(false)

    // Inside the root all of it works; the way up stops at the root.
    const listing = await backend.call('system.listDir', { path: granted })
    expect(listing.parent).toBeNull()
    expect(listing.entries.map((e) => e.name)).toContain('posts.csv')
    expect((await backend.call('system.listDir', {})).path).toBe(granted)
    await backend.call('exports.labels', { projectId: project.id, format: 'csv', path: path.join(granted, 'out.csv') })
    expect(existsSync(path.join(granted, 'out.csv'))).toBe(true)
  })

  it('refuses a relative path in every shell: it would name the server’s working folder', async () => {
    const backend = testBackend()
    const project = await backend.call('projects.create', { name: 'relative' })
    for (const [method, payload] of [
      ['exports.labels', { projectId: project.id, format: 'csv', path: 'labels.csv' }],
      ['imports.start', { projectId: project.id, path: 'data' }],
      ['system.listDir', { path: 'src' }],
    ] as const) {
      const reply = await backend.dispatch(method, payload)
      expect(reply, method).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('give an absolute path') } })
    }
    expect(existsSync(path.resolve('labels.csv'))).toBe(false)
  })
})

describe('importers stay inside the data set (finding 3)', () => {
  it('refuses an MVSA text or image that is a symlink leading out of the folder, naming the post', async () => {
    const base = tempDir('cg-symlink-')
    const root = path.join(base, 'mvsa')
    mkdirSync(path.join(root, 'data'), { recursive: true })
    writeFileSync(path.join(base, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash')
    writeFileSync(path.join(base, 'outside.jpg'), await jpeg(3))
    writeFileSync(path.join(root, 'labelResultAll.txt'), 'ID\ttext,image\n1\tpositive,positive\n7\tneutral,neutral\n8\tnegative,negative\n')
    for (const id of ['1', '7', '8']) writeFileSync(path.join(root, 'data', `${id}.jpg`), await jpeg(Number(id)))
    writeFileSync(path.join(root, 'data', '1.txt'), 'a fine day')
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'data', '7.txt'))
    writeFileSync(path.join(root, 'data', '8.txt'), 'an image from elsewhere')
    const { rmSync } = await import('node:fs')
    rmSync(path.join(root, 'data', '8.jpg'))
    symlinkSync(path.join(base, 'outside.jpg'), path.join(root, 'data', '8.jpg'))

    const { store } = testBackend()
    const project = store.projects.create('symlinks')
    const report = await runImport({ store, projectId: project.id, path: root })
    expect(report.imported).toBe(1)
    const outside = report.problems.filter((p) => p.code === 'path-outside-dataset')
    expect(outside.map((p) => [p.externalId, p.file]).sort()).toEqual([['7', 'data/7.txt'], ['8', 'data/8.jpg']])
    const texts = store.posts.page({ projectId: project.id, offset: 0, limit: 10 }).rows.map((r) => r.text)
    expect(texts).toEqual(['a fine day'])
  })

  it('imports a folder’s symlinked files that stay inside it, and refuses one leading out by name', async () => {
    const base = tempDir('cg-symlink-folder-')
    const root = path.join(base, 'set')
    mkdirSync(path.join(root, 'shared'), { recursive: true })
    writeFileSync(path.join(root, 'shared', 'one.jpg'), await jpeg(5))
    writeFileSync(path.join(base, 'outside.jpg'), await jpeg(6))
    writeFileSync(path.join(root, 'inside.txt'), 'an image linked from within')
    symlinkSync(path.join(root, 'shared', 'one.jpg'), path.join(root, 'inside.jpg'))
    writeFileSync(path.join(root, 'out.txt'), 'an image linked from elsewhere')
    symlinkSync(path.join(base, 'outside.jpg'), path.join(root, 'out.jpg'))
    const { store } = testBackend()
    const project = store.projects.create('folder-symlinks')
    const report = await runImport({ store, projectId: project.id, path: root })
    expect(report.imported).toBe(1)
    expect(store.posts.page({ projectId: project.id, offset: 0, limit: 10 }).rows.map((r) => r.externalId)).toEqual(['inside'])
    expect(report.problems.map((p) => [p.code, p.externalId])).toEqual([['path-outside-dataset', 'out']])
  })

  it('refuses a CSV image that is a symlink out of the file’s folder', async () => {
    const base = tempDir('cg-symlink-csv-')
    const root = path.join(base, 'set')
    mkdirSync(root)
    writeFileSync(path.join(base, 'outside.jpg'), await jpeg(4))
    symlinkSync(path.join(base, 'outside.jpg'), path.join(root, 'a.jpg'))
    writeFileSync(path.join(root, 'posts.csv'), 'id,text,image\n1,hello,a.jpg\n')
    const { store } = testBackend()
    const project = store.projects.create('csv-symlink')
    const report = await runImport({ store, projectId: project.id, path: path.join(root, 'posts.csv') })
    expect(report.imported).toBe(0)
    expect(report.problems).toMatchObject([{ code: 'path-outside-dataset', externalId: '1', message: expect.stringContaining('outside') }])
  })
})
