import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROBLEMS_SENT, type ImportFinished, type ImportProblem, type ImportReport } from '#shared/imports'
import { runImport } from '#main/datasets/run-import'
import { testBackend } from './support/backend'
import { badCsvCorpus, badMvsaCorpus } from './support/corpus'
import { jpeg } from './support/images'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

const where = (problems: ImportProblem[]): string[] =>
  problems.map((p) => `${p.severity} ${p.code} ${p.file}${p.line ? `:${p.line}` : ''}`).sort()

describe('importing bad input', () => {
  it('reports every problem of an MVSA folder by file and line, and imports the good rest', async () => {
    const { store } = testBackend()
    const root = tempDir()
    await badMvsaCorpus(root)
    const project = store.projects.create('bad')
    const report = await runImport({ store, projectId: project.id, path: root })

    expect(where(report.problems)).toEqual(
      [
        'error bad-row labelResultAll.txt:14',
        'error duplicate-id labelResultAll.txt:6',
        'error empty-text labelResultAll.txt:9',
        'error missing-image data/9.jpg',
        'error missing-text data/8.txt',
        'error unknown-label labelResultAll.txt:13',
        'error unreadable-image data/5.jpg',
        'error unreadable-image data/6.jpg',
      ].sort(),
    )
    expect(report.problems.find((p) => p.code === 'unknown-label')!.message).toContain('"happy"')
    // A missing image is reported at its path, and its message names the row that describes the post.
    expect(report.problems.find((p) => p.code === 'missing-image')!.message).toBe('Image not found for post "9" (its row: labelResultAll.txt, line 11)')
    for (const p of report.problems.filter((p) => p.code === 'unreadable-image')) expect(p.message).toMatch(new RegExp(`\\(its row: labelResultAll\\.txt, line ${Number(p.externalId) + 2}\\)$`))
    expect(report).toMatchObject({ format: 'mvsa', imported: 5, skipped: 7, found: 12, conflicts: 1 })

    const page = store.posts.page({ projectId: project.id, offset: 0, limit: 50 })
    expect(page.rows.map((r) => [r.externalId, r.split, r.labels.overall, r.conflict])).toEqual([
      ['1', 'train', 'positive', false],
      ['2', 'test', 'negative', false],
      ['3', 'conflict', null, true],
      ['4', 'val', 'neutral', false], // the first of the two rows counts
      ['10', 'unassigned', 'negative', false],
    ])
    expect(page.rows[1]!.text).toBe('“中文” gb text')
  })

  it('reads a non-UTF-8 CSV, says so, and reports bad rows by line', async () => {
    const { store } = testBackend()
    const file = await badCsvCorpus(tempDir())
    const project = store.projects.create('csv')
    const report = await runImport({ store, projectId: project.id, path: file })

    expect(where(report.problems)).toEqual(
      ['warning not-utf8 posts.csv', 'error duplicate-id posts.csv:4', 'error unknown-label posts.csv:5', 'error bad-row posts.csv:6'].sort(),
    )
    expect(report.imported).toBe(2)
    const rows = store.posts.page({ projectId: project.id, offset: 0, limit: 10 }).rows
    expect(rows.map((r) => [r.externalId, r.text, r.labels.overall, r.split])).toEqual([
      ['a', 'plain ascii', 'positive', 'train'],
      ['b', '“中文”', 'negative', 'test'],
    ])
  })

  it('reports a JSONL line that is not a JSON object and an image path leaving the folder', async () => {
    const { store } = testBackend()
    const dir = tempDir()
    writeFileSync(path.join(dir, 'ok.png'), await jpeg(1))
    const file = path.join(dir, 'posts.jsonl')
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'p1', text: 'fine', image: 'ok.png', text_label: 'negative', image_label: 'neutral' }),
        '{"id": "p2", "text": "broken',
        JSON.stringify({ id: 'p3', text: 'sneaky', image: '../../etc/passwd' }),
      ].join('\n'),
    )
    const project = store.projects.create('jsonl')
    const report = await runImport({ store, projectId: project.id, path: file })
    expect(where(report.problems)).toEqual(['error bad-row posts.jsonl:2', 'error path-outside-dataset posts.jsonl:3'])
    const [row] = store.posts.page({ projectId: project.id, offset: 0, limit: 10 }).rows
    expect(row!.labels).toEqual({ overall: 'negative', text: 'negative', image: 'neutral' })
  })

  it("opens an MVSA post's files by the names its data folder lists, capitals included", async () => {
    const { store } = testBackend()
    const root = tempDir()
    mkdirSync(path.join(root, 'data'))
    writeFileSync(path.join(root, 'data', '1.TXT'), 'capital text')
    writeFileSync(path.join(root, 'data', '1.JPG'), await jpeg(1))
    writeFileSync(path.join(root, 'data', '2.txt'), 'two images')
    writeFileSync(path.join(root, 'data', '2.png'), await jpeg(2))
    writeFileSync(path.join(root, 'data', '2.jpg'), await jpeg(3))
    writeFileSync(path.join(root, 'labelResultAll.txt'), 'ID\ttext,image\n1\tpositive,positive\n2\tnegative,neutral\n')
    const project = store.projects.create('capitals')
    const report = await runImport({ store, projectId: project.id, path: root })
    // On a case-sensitive disk, data/1.txt and data/1.jpg do not exist: the post was refused as missing both.
    expect(report.problems).toEqual([])
    const rows = store.posts.page({ projectId: project.id, offset: 0, limit: 10 }).rows
    const imagePaths = store.db.prepare<[number], string>('SELECT image_path FROM posts WHERE project_id = ? ORDER BY id').pluck().all(project.id)
    expect(rows.map((r, i) => [r.externalId, r.text, imagePaths[i], r.labels.overall])).toEqual([
      ['1', 'capital text', path.join('data', '1.JPG'), 'positive'],
      // Of two images, the first of the extensions' order (.jpg before .png), as before.
      ['2', 'two images', path.join('data', '2.jpg'), 'negative'],
    ])
  })

  it('pairs images and texts in a plain folder and names the unpaired files', async () => {
    const { store } = testBackend()
    const dir = tempDir()
    writeFileSync(path.join(dir, 'one.jpg'), await jpeg(1))
    writeFileSync(path.join(dir, 'one.txt'), 'first')
    writeFileSync(path.join(dir, 'two.png'), await jpeg(2))
    writeFileSync(path.join(dir, 'three.txt'), 'no image')
    const project = store.projects.create('folder')
    const report = await runImport({ store, projectId: project.id, path: dir })
    expect(report.format).toBe('folder')
    expect(where(report.problems)).toEqual(['error missing-image three.txt', 'error missing-text two.png'])
    expect(report.imported).toBe(1)
  })

  it('leaves posts already in the project untouched on a second import', async () => {
    const { store } = testBackend()
    const root = tempDir()
    await badMvsaCorpus(root)
    const project = store.projects.create('twice')
    await runImport({ store, projectId: project.id, path: root })
    const second = await runImport({ store, projectId: project.id, path: root })
    expect(second.imported).toBe(0)
    expect(second.alreadyPresent).toBe(5)
    expect(store.projects.get(project.id)!.postCount).toBe(5)
  })

  it('finds the posts a project of 9,000 already has, read a page at a time with turns between, and imports only the new one', async () => {
    const { store } = testBackend()
    const other = seedProject(store, 10, 'other')
    const { projectId } = seedProject(store, 9_000, 'large')
    // The other project's ids are p1…p10 too: they are not this project's, and never counted as here.
    expect(other.postIds).toHaveLength(10)
    let turns = 0
    const ids = await store.posts.externalIds(projectId, async () => void turns++)
    expect(ids.size).toBe(9_000)
    expect([...ids].slice(0, 2)).toEqual(['p1', 'p2'])
    expect(ids.has('p9000') && !ids.has('p9001')).toBe(true)
    expect(turns).toBe(2) // pages of 4,096: 4,096 + 4,096 + 808

    const root = tempDir()
    writeFileSync(path.join(root, 'a.jpg'), await jpeg(1))
    writeFileSync(path.join(root, 'posts.csv'), ['id,text,image', 'p1,old,a.jpg', 'p4097,old,a.jpg', 'p9000,old,a.jpg', 'p9001,new,a.jpg'].join('\n'))
    const report = await runImport({ store, projectId, path: path.join(root, 'posts.csv') })
    expect(report).toMatchObject({ imported: 1, alreadyPresent: 3 })
    expect(store.projects.get(projectId)!.postCount).toBe(9_001)
  })

  it("sends the first 1,000 problems of each kind with every kind's count when an import finishes, and stores them all", async () => {
    const backend = testBackend()
    const { projectId } = seedProject(backend.store, 1_500, 'again')
    const root = tempDir()
    writeFileSync(path.join(root, 'a.jpg'), await jpeg(2))
    // 1,500 posts already there (a warning each), one new, one without text (an error).
    const rows = Array.from({ length: 1_500 }, (_, i) => `p${i + 1},old,a.jpg`)
    writeFileSync(path.join(root, 'posts.csv'), ['id,text,image', ...rows, 'p1501,new,a.jpg', 'p1502,,a.jpg'].join('\n'))
    const finished = new Promise<ImportFinished>((resolve) =>
      backend.events.subscribe((event, payload) => event === 'imports.finished' && resolve(payload as ImportFinished)),
    )
    await backend.call('imports.start', { projectId, path: path.join(root, 'posts.csv') })
    const { outcome, report } = await finished
    expect(outcome).toBe('done')
    expect(report).toMatchObject({ imported: 1, alreadyPresent: 1_500, problemCounts: { error: 1, warning: 1_500 } })
    expect(report!.problems.filter((p) => p.severity === 'warning')).toHaveLength(PROBLEMS_SENT)
    expect(report!.problems.filter((p) => p.severity === 'error').map((p) => p.externalId)).toEqual(['p1502'])
    expect(report!.problems[0]).toMatchObject({ code: 'already-imported', externalId: 'p1', line: 2 })
    const stored = JSON.parse(backend.store.db.prepare<[], string>('SELECT report FROM sources ORDER BY id DESC LIMIT 1').pluck().get()!) as ImportReport
    expect(stored.problems).toHaveLength(1_501)
  })

  it('refuses a path that holds nothing importable, with the reason', async () => {
    const { store } = testBackend()
    const project = store.projects.create('empty')
    await expect(runImport({ store, projectId: project.id, path: tempDir() })).rejects.toThrow(/No MVSA layout/)
    await expect(runImport({ store, projectId: project.id, path: '/no/such/place' })).rejects.toThrow(/Nothing found/)
  })
})
