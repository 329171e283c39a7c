// The folder browser's listing (system.listDir): folders first, then files, in natural order; a
// data set's images and texts past OTHER_FILES_LISTED are counted, not listed, so a folder of
// 100,000 images opens at once and its data tables and subfolders still show. Where an export goes,
// the browser can also make a new folder (system.makeDir): one name, inside the folder shown.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { OTHER_FILES_LISTED } from '#shared/system'
import { testBackend } from './support/backend'
import { tempDir } from './support/temp'

function folderWith(names: { dirs: string[]; files: string[] }): string {
  const dir = tempDir('cg-list-')
  for (const d of names.dirs) mkdirSync(path.join(dir, d))
  for (const f of names.files) writeFileSync(path.join(dir, f), '')
  return dir
}

describe('system.listDir', () => {
  it('lists folders, then files, in natural order, hidden ones left out', async () => {
    const dir = folderWith({ dirs: ['img10', 'img2', '.cache'], files: ['p10.jpg', 'p2.jpg', 'posts.csv', '.DS_Store'] })
    const listing = await testBackend().call('system.listDir', { path: dir })
    expect(listing.entries).toEqual([
      { name: 'img2', kind: 'dir' },
      { name: 'img10', kind: 'dir' },
      { name: 'p2.jpg', kind: 'file' },
      { name: 'p10.jpg', kind: 'file' },
      { name: 'posts.csv', kind: 'file' },
    ])
    expect(listing.unlisted).toBe(0)
  })

  it('counts the other files past the limit instead of listing them; folders and data tables still show', async () => {
    const images = Array.from({ length: OTHER_FILES_LISTED + 1 }, (_, i) => `${i}.jpg`)
    const dir = folderWith({ dirs: ['texts'], files: [...images, 'posts.csv', 'more.jsonl'] })
    const listing = await testBackend().call('system.listDir', { path: dir })
    expect(listing.entries).toEqual([
      { name: 'texts', kind: 'dir' },
      { name: 'more.jsonl', kind: 'file' },
      { name: 'posts.csv', kind: 'file' },
    ])
    expect(listing.unlisted).toBe(OTHER_FILES_LISTED + 1)
  })
})

describe('system.makeDir', () => {
  it('makes the named folder inside the one shown, which then lists it; the same name again is refused', async () => {
    const dir = folderWith({ dirs: ['old'], files: ['posts.csv'] })
    const backend = testBackend()
    const made = await backend.call('system.makeDir', { parent: dir, name: '  exports 2026  ' })
    expect(made.path).toBe(path.join(dir, 'exports 2026'))
    expect(statSync(made.path).isDirectory()).toBe(true)
    expect((await backend.call('system.listDir', { path: dir })).entries.filter((e) => e.kind === 'dir').map((e) => e.name)).toEqual(['exports 2026', 'old'])

    const again = await backend.dispatch('system.makeDir', { parent: dir, name: 'old' })
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: `name: "old" already exists in ${dir}` } })
  })

  it('refuses a path, a hidden or empty name, a missing parent and a file as parent, and makes nothing', async () => {
    const dir = folderWith({ dirs: [], files: ['posts.csv'] })
    const backend = testBackend()
    const refusals: Array<[{ parent: string; name: string }, string]> = [
      [{ parent: dir, name: 'a/b' }, 'is a path; give one folder name'],
      [{ parent: dir, name: '../escape' }, 'is a path; give one folder name'],
      [{ parent: dir, name: '..' }, 'names no new folder'],
      [{ parent: dir, name: '.hidden' }, 'the folder would be hidden'],
      [{ parent: dir, name: '   ' }, 'give the new folder a name'],
      [{ parent: path.join(dir, 'gone'), name: 'x' }, `parent: ${path.join(dir, 'gone')} does not exist`],
      [{ parent: path.join(dir, 'posts.csv'), name: 'x' }, 'is a file, not a folder'],
    ]
    for (const [payload, message] of refusals) {
      const reply = await backend.dispatch('system.makeDir', payload)
      expect(reply, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining(message) } })
    }
    expect(readdirSync(dir)).toEqual(['posts.csv'])
    expect(existsSync(path.join(path.dirname(dir), 'escape'))).toBe(false)
  })
})
