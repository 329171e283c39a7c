// The folder browser's listing (system.listDir): folders first, then files, in natural order; a
// data set's images and texts past OTHER_FILES_LISTED are counted, not listed, so a folder of
// 100,000 images opens at once and its data tables and subfolders still show.
import { mkdirSync, writeFileSync } from 'node:fs'
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
