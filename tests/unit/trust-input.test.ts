// Issue 12, findings 5, 8 and 9: input that once broke a project or slipped in unannounced. Each
// case gets its named problem, nothing half-stored, and the exit code the README promises.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { POSTS_PAGE_TEXT_MAX } from '#shared/projects'
import { runImport } from '#main/datasets/run-import'
import { MAX_TEXT_CHARS } from '#main/datasets/text-decoding'
import { testBackend } from './support/backend'
import { cli } from './support/cli'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

/** Bytes that are neither UTF-8 nor GB18030 (a lone 0xFF, a GB18030 lead byte without its trail). */
const UNDECODABLE = Buffer.from([0x48, 0x69, 0x20, 0xff, 0x41, 0x81, 0x20, 0x21])

async function imagesIn(dir: string, names: string[]): Promise<void> {
  for (const [i, name] of names.entries()) writeFileSync(path.join(dir, name), await jpeg(i + 1))
}

describe('text size (finding 5)', () => {
  it('refuses a JSONL text over the limit by post and line, imports the rest', async () => {
    const dir = tempDir('cg-huge-')
    await imagesIn(dir, ['a.jpg', 'b.jpg'])
    const huge = 'x'.repeat(MAX_TEXT_CHARS + 1)
    writeFileSync(path.join(dir, 'posts.jsonl'), [{ id: 'ok', text: 'fine', image: 'a.jpg' }, { id: 'huge', text: huge, image: 'b.jpg' }].map((r) => JSON.stringify(r)).join('\n'))
    const { store } = testBackend()
    const project = store.projects.create('huge')
    const report = await runImport({ store, projectId: project.id, path: path.join(dir, 'posts.jsonl') })
    expect(report).toMatchObject({ imported: 1, skipped: 1 })
    expect(report.problems).toEqual([
      { severity: 'error', code: 'text-too-long', file: 'posts.jsonl', line: 2, externalId: 'huge', message: expect.stringContaining(`${MAX_TEXT_CHARS + 1} characters`) },
    ])
  })

  it('refuses an MVSA text file too large to be a post without reading it', async () => {
    const root = tempDir('cg-huge-mvsa-')
    mkdirSync(path.join(root, 'data'))
    await imagesIn(path.join(root, 'data'), ['1.jpg', '2.jpg'])
    writeFileSync(path.join(root, 'data', '1.txt'), 'short')
    writeFileSync(path.join(root, 'data', '2.txt'), 'y'.repeat(MAX_TEXT_CHARS * 4 + 1))
    const { store } = testBackend()
    const project = store.projects.create('huge-mvsa')
    const report = await runImport({ store, projectId: project.id, path: root, format: 'mvsa' })
    expect(report.imported).toBe(1)
    expect(report.problems.filter((p) => p.severity === 'error')).toMatchObject([{ code: 'text-too-long', file: 'data/2.txt', externalId: '2' }])
  })

  it('keeps a grid page small whatever a post holds: its text is cut at the page limit there, whole in the post', async () => {
    const backend = testBackend()
    const project = backend.store.projects.create('long')
    const sourceId = backend.store.sources.insert(project.id, tempDir(), 'folder')
    const long = 'z'.repeat(POSTS_PAGE_TEXT_MAX * 50)
    backend.store.posts.insert(project.id, sourceId, { externalId: 'long', text: long, imagePath: 'a.jpg', imageHash: 'h', width: 1, height: 1, split: 'train', conflict: false })
    const page = await backend.call('posts.page', { projectId: project.id })
    expect(page.rows[0]!.text.length).toBe(POSTS_PAGE_TEXT_MAX)
    expect(JSON.stringify(page).length).toBeLessThan(POSTS_PAGE_TEXT_MAX * 3)
  })
})

describe('undecodable text (finding 9)', () => {
  it('warns about a CSV whose bytes are neither UTF-8 nor GB18030, naming the file and line', async () => {
    const dir = tempDir('cg-bytes-')
    await imagesIn(dir, ['a.jpg', 'b.jpg'])
    writeFileSync(path.join(dir, 'posts.csv'), Buffer.concat([Buffer.from('id,text,image\n1,plain,a.jpg\n2,'), UNDECODABLE, Buffer.from(',b.jpg\n')]))
    const { store } = testBackend()
    const project = store.projects.create('bytes')
    const report = await runImport({ store, projectId: project.id, path: path.join(dir, 'posts.csv') })
    expect(report.imported).toBe(2)
    expect(report.problems).toEqual([
      { severity: 'warning', code: 'undecodable-text', file: 'posts.csv', line: 3, message: expect.stringContaining('neither UTF-8 nor GB18030 (line 3)') },
    ])
  })

  it('warns about an MVSA text file in neither encoding, naming the post; GB18030 texts pass quietly', async () => {
    const root = tempDir('cg-bytes-mvsa-')
    mkdirSync(path.join(root, 'data'))
    await imagesIn(path.join(root, 'data'), ['1.jpg', '2.jpg'])
    writeFileSync(path.join(root, 'data', '1.txt'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3])) // 你好 in GB18030
    writeFileSync(path.join(root, 'data', '2.txt'), UNDECODABLE)
    const { store } = testBackend()
    const project = store.projects.create('bytes-mvsa')
    const report = await runImport({ store, projectId: project.id, path: root, format: 'mvsa' })
    expect(report.imported).toBe(2)
    expect(report.problems.filter((p) => p.code !== 'no-labels-file')).toEqual([
      { severity: 'warning', code: 'undecodable-text', file: 'data/2.txt', externalId: '2', message: expect.stringContaining('neither UTF-8 nor GB18030') },
    ])
    expect(store.posts.page({ projectId: project.id, offset: 0, limit: 5 }).rows[0]!.text).toBe('你好')
  })
})

describe('exit codes as the README says (finding 8)', () => {
  it('a Label Studio file that is not a list exits 1 with ok: false, naming the file', async () => {
    const dir = tempDir('cg-exit-')
    writeFileSync(path.join(dir, 'tasks.json'), '{"data": {"text": "not a list"}}')
    const result = await cli('import', path.join(dir, 'tasks.json'), '--format', 'label-studio', '--project', 'x', '--db', path.join(dir, 'cli.db'), '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, imported: 0, error: expect.stringContaining('tasks.json: Expected a JSON array') })
  })

  it('importing a folder already imported exits 1: it found posts and imported none', async () => {
    const dir = tempDir('cg-again-')
    await imagesIn(dir, ['a.jpg'])
    writeFileSync(path.join(dir, 'a.txt'), 'once')
    const db = path.join(tempDir(), 'cli.db')
    expect((await cli('import', dir, '--project', 'x', '--db', db)).code).toBe(0)
    const again = await cli('import', dir, '--project', 'x', '--db', db, '--json')
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, imported: 0, alreadyPresent: 1, error: 'all 1 posts are already in the project; nothing new was imported' })
  })
})

describe('names and files (finding 10)', () => {
  it('refuses project names with a path separator, a NUL or only dots, from the API and the CLI', async () => {
    const backend = testBackend()
    for (const [name, message] of [
      ['../etc', 'name: a project name cannot contain / or \\'],
      ['a\u0000b', 'name: a project name cannot contain control characters'],
      ['..', 'name: a project name cannot be only dots'],
    ]) {
      expect(await backend.dispatch('projects.create', { name }), JSON.stringify(name)).toEqual({ ok: false, error: { code: 'bad-request', message } })
    }
    expect(await backend.call('projects.list', null)).toEqual([])
    const dir = tempDir('cg-names-')
    const result = await cli('import', dir, '--project', '../x', '--db', path.join(dir, 'cli.db'))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--project: a project name cannot contain / or \\')
  })

  it('names the file when the store is not a database', async () => {
    const dir = tempDir('cg-baddb-')
    const db = path.join(dir, 'broken.db')
    writeFileSync(db, 'this is not SQLite, just text that is long enough to have a header page'.repeat(20))
    const result = await cli('stats', '--project', 'x', '--db', db)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`Cannot open the store ${db}: file is not a database`)
  })

  it('takes the serve token from a file or the environment, and warns that --token shows in ps', async () => {
    const { chooseToken, TOKEN_ENV } = await import('#main/cli/serve-token')
    const file = path.join(tempDir('cg-token-'), 'token')
    writeFileSync(file, 'from-a-file\n')
    expect(await chooseToken({ tokenFile: file }, {})).toEqual({ token: 'from-a-file' })
    expect(await chooseToken({}, { [TOKEN_ENV]: 'from-env' })).toEqual({ token: 'from-env' })
    expect(await chooseToken({ token: 'on-the-line' }, {})).toEqual({ token: 'on-the-line', warning: expect.stringContaining('visible to every user') })
    expect(await chooseToken({}, {})).toEqual({ token: undefined })
    await expect(chooseToken({ tokenFile: file }, { [TOKEN_ENV]: 'x' })).rejects.toThrow('one way only')
  })
})
