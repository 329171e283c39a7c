// Where an export writes unless told otherwise (stores/folders.ts): the folder the last export wrote
// into, this project's first, else any project's; never a folder only picked to import from or to load
// a model from. The pickers start at either.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('#renderer/api/client', () => ({ api: { call: () => Promise.resolve({ importFolder: null }) } }))

describe('the folder an export starts with', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    const kept = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) })
    // The router reads the open place from the window's address.
    vi.stubGlobal('window', { location: { hash: '#/projects/3' }, addEventListener: () => undefined })
  })

  it('is the last folder an export wrote into; a folder picked to import from or to load a model from is not one', async () => {
    const { useFoldersStore } = await import('#renderer/stores/folders')
    const folders = useFoldersStore()
    expect(folders.lastWritten()).toBe('')
    folders.remember('/data/mvsa') // picked to import from
    expect(folders.lastWritten()).toBe('')
    expect(await folders.start()).toBe('/data/mvsa')

    folders.rememberWritten(' /home/ann/exports ')
    expect(folders.lastWritten()).toBe('/home/ann/exports')
    expect(await folders.start()).toBe('/home/ann/exports')
    folders.remember('/models/teacher') // picked to load a model from
    expect(folders.lastWritten()).toBe('/home/ann/exports')
  })
})
