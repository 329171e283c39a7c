// A newcomer's first hour (issue 13): the name recorded with labels is a person of the project,
// never the server's account; pickers start where the project's data was imported from.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '#main/datasets/run-import'
import { projectPeople } from '#renderer/lib/annotators'
import { folderOf, pathIn } from '#renderer/lib/folders'
import { testBackend } from './support/backend'
import { jpeg } from './support/images'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

describe("the project's people", () => {
  it('lists who labeled, corrected or reviewed there and names added in this browser, most labels first; the import is nobody', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    const set = (postId: number, annotator: string, source?: 'correction') =>
      backend.call('labels.set', { projectId, postId, modality: 'overall', label: 'positive', annotator, ...(source ? { source } : {}) })
    await set(postIds[0]!, 'bea')
    await set(postIds[1]!, 'bea')
    await set(postIds[0]!, 'ali')
    await set(postIds[2]!, 'ali', 'correction')
    await set(postIds[2]!, 'ali')
    backend.store.annotations.append({ projectId, postId: postIds[1]!, modality: 'text', label: 'neutral', source: 'imported', kind: 'label', annotator: 'mvsa' })

    const stats = await backend.call('projects.stats', { projectId })
    expect(projectPeople(stats.annotators, ['cy', 'bea'])).toEqual([
      { name: 'ali', labels: 3 },
      { name: 'bea', labels: 2 },
      { name: 'cy', labels: 0 },
    ])
  })

  it("offers no name of its own: app.info does not carry the server's OS account", async () => {
    const info = await testBackend().call('app.info', undefined)
    expect(Object.keys(info).sort()).toEqual(['dbPath', 'name', 'nativeDialogs', 'schemaVersion', 'shell', 'version'])
  })
})

describe('where pickers start', () => {
  it("answers the latest import's folder (a CSV's own folder), none before an import, and refuses an unknown project", async () => {
    const backend = testBackend()
    const project = await backend.call('projects.create', { name: 'places' })
    expect(await backend.call('projects.folders', { projectId: project.id })).toEqual({ importFolder: null })

    for (const name of ['first', 'second']) {
      const dir = path.join(tempDir(), name)
      mkdirSync(dir)
      writeFileSync(path.join(dir, `${name}.jpg`), await jpeg(name.length))
      writeFileSync(path.join(dir, 'posts.csv'), `id,text,image\n${name},a post called ${name},${name}.jpg\n`)
      const report = await runImport({ store: backend.store, projectId: project.id, path: path.join(dir, 'posts.csv') })
      expect(report.imported).toBe(1)
      expect(await backend.call('projects.folders', { projectId: project.id })).toEqual({ importFolder: realpathSync(dir) })
    }
    await expect(backend.call('projects.folders', { projectId: project.id + 1 })).rejects.toThrow(`No project with id ${project.id + 1}`)
  })

  it("takes a picked file's folder, with either separator, and a folder as it is", () => {
    expect(folderOf('/data/mvsa/posts.csv', 'file')).toBe('/data/mvsa')
    expect(folderOf('C:\\data\\posts.csv', 'file')).toBe('C:\\data')
    expect(folderOf('/data/mvsa', 'folder')).toBe('/data/mvsa')
  })

  it('puts a name in a folder with the separator of the folder, and nothing while no folder is given', () => {
    expect(pathIn('/data/out', 'labels.csv')).toBe('/data/out/labels.csv')
    expect(pathIn(' /data/out// ', 'labels.csv')).toBe('/data/out/labels.csv')
    expect(pathIn('/', 'home')).toBe('/home')
    expect(pathIn('C:\\', 'Users')).toBe('C:\\Users')
    expect(pathIn('C:\\data\\out\\', 'labels.csv')).toBe('C:\\data\\out\\labels.csv')
    expect(pathIn('\\\\server\\share', 'x.csv')).toBe('\\\\server\\share\\x.csv')
    expect(pathIn('   ', 'labels.csv')).toBe('')
  })
})
