// A folder's emptiness, read from its first entry (an export's model folder must be new or empty).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderEntries, isEmptyFolder } from '#main/core/folder-entries'
import { tempDir } from './support/temp'

describe('isEmptyFolder', () => {
  it('is true for a folder with nothing in it and false once anything is there, hidden files and folders included', async () => {
    const dir = tempDir('cg-empty-')
    expect(await isEmptyFolder(dir)).toBe(true)
    writeFileSync(path.join(dir, '.DS_Store'), '')
    expect(await isEmptyFolder(dir)).toBe(false)

    const other = tempDir('cg-empty-')
    mkdirSync(path.join(other, 'sub'))
    expect(await isEmptyFolder(other)).toBe(false)
  })

  it('names the folder when it cannot be read', async () => {
    const missing = path.join(tempDir('cg-empty-'), 'gone')
    await expect(isEmptyFolder(missing)).rejects.toThrow(missing)
  })
})

describe('folderEntries', () => {
  it('walks every entry of a folder larger than one read', async () => {
    const dir = tempDir('cg-entries-')
    const names = Array.from({ length: 2_500 }, (_, i) => `f${i}.txt`)
    for (const name of names) writeFileSync(path.join(dir, name), '')
    const seen: string[] = []
    for await (const entry of await folderEntries(dir)) seen.push(entry.name)
    expect(seen.sort()).toEqual([...names].sort())
  })
})
