// What the import dialog says a picked path is, before anything is read: an MVSA layout (by its
// label file, or by a data folder of texts), a folder of image + text pairs, a data file by its
// extension; and why not, when it is none of them.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectFormat } from '#main/datasets/detect-format'
import { tempDir } from './support/temp'

function folderWith(files: string[], dirs: string[] = []): string {
  const dir = tempDir('cg-detect-')
  for (const d of dirs) mkdirSync(path.join(dir, d), { recursive: true })
  for (const f of files) writeFileSync(path.join(dir, f), '')
  return dir
}

describe('detectFormat', () => {
  it('names each layout and says why', async () => {
    expect(await detectFormat(folderWith(['labelResultAll.txt']))).toEqual({ format: 'mvsa', reason: 'MVSA layout: labelResultAll.txt and a data folder' })
    expect(await detectFormat(folderWith(['data/1.txt', 'data/1.jpg'], ['data']))).toEqual({ format: 'mvsa', reason: 'MVSA layout: a data folder' })
    expect(await detectFormat(folderWith(['data/1.TXT', 'data/1.JPG'], ['data']))).toEqual({ format: 'mvsa', reason: 'MVSA layout: a data folder' })
    expect(await detectFormat(folderWith(['a.jpg', 'b.PNG', 'a.txt', 'notes.md']))).toEqual({ format: 'folder', reason: 'A folder of 2 images and 1 text' })
    const csv = folderWith(['posts.csv'])
    expect(await detectFormat(path.join(csv, 'posts.csv'))).toEqual({ format: 'csv', reason: 'posts.csv is a CSV file' })
    expect(await detectFormat(path.join(csv, 'posts.csv').replace('posts.csv', 'tasks.json'))).toMatchObject({ format: null, reason: expect.stringContaining('Nothing found at') })
  })

  it('says why a folder is none of them', async () => {
    // A data folder without texts is no MVSA layout; images alone are no pairs.
    expect(await detectFormat(folderWith(['data/1.jpg', 'a.jpg'], ['data']))).toEqual({ format: null, reason: 'No MVSA layout, no image+text pairs, and no CSV, JSONL or JSON file here' })
    expect(await detectFormat(folderWith(['posts.csv', 'tasks.json', 'a.jpg']))).toMatchObject({ format: null, reason: expect.stringMatching(/^This folder holds (posts\.csv, tasks\.json|tasks\.json, posts\.csv): pick the file itself$/) })
    // A file named data is not a data folder.
    expect(await detectFormat(folderWith(['data']))).toMatchObject({ format: null })
  })
})
