// Exports as a person uses them: a project's labels as CSV, JSONL and Label Studio JSON (with a
// run's predictions), a run's model folder, and a Label Studio file that imports back into a new
// project with the same labels per post and modality.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import { runImport } from '#main/datasets/run-import'
import { initBackend } from '#main/ml/tfjs-backend'
import { makeConfig } from '#main/training/config'
import { syntheticProblem } from '#main/training/synthetic'
import { train } from '#main/training/trainer'
import { writeModel } from '#main/training/worker/run-files'
import type { LabelSet, Split } from '#shared/vocabulary'
import { EXPORT_PAGE } from '#main/exports/pages'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { cli } from './support/cli'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

const POSTS = [
  ['a', 'plain text', 'positive', 'positive', 'neutral', 'train'],
  ['b', 'a "quoted", comma text\nover two lines', 'negative', '', '', 'test'],
  ['c', 'text and image only', '', 'positive', 'negative', 'train'], // a conflict: no overall
  ['d', 'unlabeled', '', '', '', 'train'],
  ['e', 'to be accepted', '', '', '', 'train'],
  ['f', 'to be corrected', '', '', '', 'val'],
] as const

/** A dataset folder (images + posts.csv) imported into a project, with a reviewed run. */
async function setup(): Promise<{ backend: Backend; dir: string; projectId: number; runId: number; ids: Record<string, number> }> {
  const dir = tempDir('cg-export-')
  mkdirSync(path.join(dir, 'img'))
  const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`
  const rows = ['id,text,image,label,text_label,image_label,split']
  for (const [i, [id, text, overall, t, im, split]] of POSTS.entries()) {
    writeFileSync(path.join(dir, 'img', `${id}.jpg`), await jpeg(i + 1))
    rows.push([id, quote(text), `img/${id}.jpg`, overall, t, im, split].join(','))
  }
  writeFileSync(path.join(dir, 'posts.csv'), rows.join('\n'))
  const backend = testBackend()
  const { id: projectId } = await backend.call('projects.create', { name: 'source' })
  const report = await runImport({ store: backend.store, projectId, path: path.join(dir, 'posts.csv') })
  expect(report.imported).toBe(POSTS.length)
  const page = backend.store.posts.page({ projectId, offset: 0, limit: 100 })
  const ids = Object.fromEntries(page.rows.map((r) => [r.externalId, r.id]))

  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  const pseudo = db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  pseudo.run(runId, ids.d, 'neutral', 0.61, 'neutral', 0.7, 'positive', 0.5)
  pseudo.run(runId, ids.e, 'positive', 0.97, 'positive', 0.9, 'positive', 0.8)
  pseudo.run(runId, ids.f, 'positive', 0.88, 'positive', 0.8, 'neutral', 0.6)
  await backend.call('review.decide', { runId, postId: ids.e!, kind: 'accept', annotator: 'ann' })
  await backend.call('review.decide', { runId, postId: ids.f!, kind: 'correct', label: 'negative', annotator: 'ann' })
  await backend.call('labels.set', { projectId, postId: ids.d!, modality: 'image', label: 'neutral', annotator: 'ann' })
  return { backend, dir, projectId, runId, ids }
}

/** Every post's text, split and labels by external id. */
function labelsById(backend: Backend, projectId: number): Record<string, { text: string; split: Split; labels: LabelSet }> {
  const rows = backend.store.posts.page({ projectId, offset: 0, limit: 1000 }).rows
  return Object.fromEntries(rows.map((r) => [r.externalId, { text: r.text, split: r.split, labels: r.labels }]))
}

describe('exports.labels', () => {
  it('writes CSV with the current labels, their source, and the run\'s predictions', async () => {
    const { backend, dir, projectId, runId } = await setup()
    const file = path.join(dir, 'labels.csv')
    expect(await backend.call('exports.labels', { projectId, format: 'csv', path: file, runId })).toEqual({ path: file, rows: 6 })
    const records = parse(readFileSync(file), { columns: true }) as Array<Record<string, string>>
    expect(records.map((r) => [r.id, r.label, r.text_label, r.image_label, r.label_source, r.split])).toEqual([
      ['a', 'positive', 'positive', 'neutral', 'imported', 'train'],
      ['b', 'negative', '', '', 'imported', 'test'],
      ['c', '', 'positive', 'negative', '', 'train'],
      ['d', '', '', 'neutral', '', 'train'],
      ['e', 'positive', '', '', 'pseudo-accepted', 'train'],
      ['f', 'negative', '', '', 'correction', 'val'],
    ])
    expect(records[1]!.text).toBe(POSTS[1][1])
    expect(records[0]!.image).toBe('img/a.jpg')
    expect(records.map((r) => [r.pseudo_label, r.pseudo_confidence, r.review])).toEqual([
      ['', '', ''],
      ['', '', ''],
      ['', '', ''],
      ['neutral', '0.61', ''],
      ['positive', '0.97', 'accepted'],
      ['positive', '0.88', 'corrected'],
    ])
    // Without a run there are no prediction columns; nothing but the file is left in the folder.
    await backend.call('exports.labels', { projectId, format: 'csv', path: file })
    expect(Object.keys((parse(readFileSync(file), { columns: true }) as object[])[0]!)).not.toContain('pseudo_label')
    expect(readdirSync(dir).sort()).toEqual(['img', 'labels.csv', 'posts.csv'])
  })

  it('writes JSONL that the JSONL importer reads back with the same labels', async () => {
    const { backend, dir, projectId } = await setup()
    const file = path.join(dir, 'labels.jsonl')
    await backend.call('exports.labels', { projectId, format: 'jsonl', path: file })
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines[4]).toEqual({
      id: 'e', text: 'to be accepted', image: 'img/e.jpg', image_root: null, split: 'train', label: 'positive', text_label: null, image_label: null,
      label_source: 'pseudo-accepted', conflict: false,
    })
    const { id: copy } = await backend.call('projects.create', { name: 'jsonl copy' })
    await runImport({ store: backend.store, projectId: copy, path: file })
    // Posts whose overall label is set (or absent with no text/image pair) come back as they were.
    const before = labelsById(backend, projectId)
    const after = labelsById(backend, copy)
    for (const id of ['a', 'b', 'd', 'e', 'f']) expect(after[id]).toEqual(before[id])
  })

  it('writes Label Studio tasks with data, the labels as choices, and the run\'s predictions', async () => {
    const { backend, dir, projectId, runId } = await setup()
    const file = path.join(dir, 'tasks.json')
    await backend.call('exports.labels', { projectId, format: 'label-studio', path: file, runId })
    const tasks = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>
    expect(tasks).toHaveLength(6)
    expect(tasks[0]).toEqual({
      data: { text: 'plain text', image: 'img/a.jpg', external_id: 'a', split: 'train' },
      annotations: [
        {
          result: [
            { from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['positive'] } },
            { from_name: 'text_sentiment', to_name: 'text', type: 'choices', value: { choices: ['positive'] } },
            { from_name: 'image_sentiment', to_name: 'image', type: 'choices', value: { choices: ['neutral'] } },
          ],
        },
      ],
    })
    expect(tasks[3]!.predictions).toEqual([
      {
        model_version: `common-ground run ${runId} (scdr)`,
        score: 0.61,
        result: [
          { from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['neutral'] }, score: 0.61 },
          { from_name: 'text_sentiment', to_name: 'text', type: 'choices', value: { choices: ['neutral'] }, score: 0.7 },
          { from_name: 'image_sentiment', to_name: 'image', type: 'choices', value: { choices: ['positive'] }, score: 0.5 },
        ],
      },
    ])
    expect(tasks[0]!.predictions).toBeUndefined()
  })

  it('round trip: Label Studio JSON imports into a new project with the same labels per post and modality', async () => {
    const { backend, dir, projectId, runId } = await setup()
    const file = path.join(dir, 'export', 'tasks.json')
    mkdirSync(path.dirname(file))
    // Images live beside the export's folder here: give the export the dataset folder itself.
    const inside = path.join(dir, 'tasks.json')
    await backend.call('exports.labels', { projectId, format: 'label-studio', path: inside, runId })
    expect(await backend.call('imports.detect', { path: inside })).toEqual({ format: 'label-studio', reason: 'tasks.json is a Label Studio JSON file' })
    const { id: copy } = await backend.call('projects.create', { name: 'round trip' })
    const report = await runImport({ store: backend.store, projectId: copy, path: inside })
    expect(report).toMatchObject({ format: 'label-studio', imported: 6, skipped: 0, problems: [] })
    expect(labelsById(backend, copy)).toEqual(labelsById(backend, projectId))

    // Finding 4 (issue 12): exported elsewhere, the images lie outside the file's folder; the tasks
    // name their imported folder (image_root) and import all the same, with the same labels.
    await backend.call('exports.labels', { projectId, format: 'label-studio', path: file })
    const { id: other } = await backend.call('projects.create', { name: 'outside' })
    const elsewhere = await runImport({ store: backend.store, projectId: other, path: file })
    expect(elsewhere).toMatchObject({ imported: 6, skipped: 0, problems: [] })
    expect(labelsById(backend, other)).toEqual(labelsById(backend, projectId))
  })

  it('round trip from another folder for CSV and JSONL too; a bare ../ path is still refused', async () => {
    const { backend, dir, projectId } = await setup()
    const elsewhere = tempDir('cg-export-elsewhere-')
    for (const format of ['csv', 'jsonl'] as const) {
      const file = path.join(elsewhere, `labels.${format}`)
      await backend.call('exports.labels', { projectId, format, path: file })
      const { id: copy } = await backend.call('projects.create', { name: `${format} elsewhere` })
      const report = await runImport({ store: backend.store, projectId: copy, path: file })
      expect(report, format).toMatchObject({ imported: 6, skipped: 0, problems: [] })
      const before = labelsById(backend, projectId)
      const after = labelsById(backend, copy)
      for (const id of ['a', 'b', 'd', 'e', 'f']) expect(after[id], `${format} ${id}`).toEqual(before[id])
    }
    writeFileSync(path.join(elsewhere, 'hand.csv'), `id,text,image\nx,hi,${path.relative(elsewhere, path.join(dir, 'img', 'a.jpg'))}\n`)
    const { id: hand } = await backend.call('projects.create', { name: 'hand' })
    const refused = await runImport({ store: backend.store, projectId: hand, path: path.join(elsewhere, 'hand.csv') })
    expect(refused.problems).toMatchObject([{ code: 'path-outside-dataset', externalId: 'x' }])
  })

  it('a project of several pages exports every post once, in id order, in every format', async () => {
    const backend = testBackend()
    const n = EXPORT_PAGE * 2 + 3
    const { projectId } = seedProject(backend.store, n)
    const dir = tempDir('cg-export-pages-')
    const expected = Array.from({ length: n }, (_, i) => `p${i + 1}`)
    const csv = path.join(dir, 'all.csv')
    expect((await backend.call('exports.labels', { projectId, format: 'csv', path: csv })).rows).toBe(n)
    expect((parse(readFileSync(csv), { columns: true }) as Array<{ id: string }>).map((r) => r.id)).toEqual(expected)
    const jsonl = path.join(dir, 'all.jsonl')
    await backend.call('exports.labels', { projectId, format: 'jsonl', path: jsonl })
    expect(readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(expected)
    const studio = path.join(dir, 'all.json')
    await backend.call('exports.labels', { projectId, format: 'label-studio', path: studio })
    expect((JSON.parse(readFileSync(studio, 'utf8')) as unknown[]).length).toBe(n)
  })

  it('refuses bad targets, unknown projects and runs of other projects, with messages naming the field', async () => {
    const { backend, dir, projectId, runId } = await setup()
    const { id: otherProject } = await backend.call('projects.create', { name: 'other' })
    const base = { projectId, format: 'csv', path: path.join(dir, 'out.csv') }
    const cases: Array<[unknown, string]> = [
      [{ ...base, path: path.join(dir, 'missing', 'out.csv') }, `path: the folder ${path.join(dir, 'missing')} does not exist`],
      [{ ...base, path: dir }, `path: ${dir} is a folder; give a file name, e.g. ${path.join(dir, 'labels.json')}`],
      [{ ...base, path: '  ' }, 'path: required'],
      [{ ...base, format: 'xlsx' }, 'format: expected one of csv, jsonl, label-studio'],
      [{ ...base, projectId: 999 }, 'No project with id 999'],
      [{ ...base, runId: 999 }, 'No run with id 999'],
      [{ ...base, projectId: otherProject, runId }, `runId: run ${runId} belongs to another project (${projectId}), not ${otherProject}`],
    ]
    for (const [payload, message] of cases) {
      expect(await backend.dispatch('exports.labels', payload)).toEqual({ ok: false, error: { code: expect.any(String), message } })
    }
    expect(readdirSync(dir).sort()).toEqual(['img', 'posts.csv'])
  })
})

describe('exports.model', () => {
  it('writes the run\'s TensorFlow.js folder and model.onnx with a note of its encoders, class order and calibration', async () => {
    const { backend, dir, projectId, runId } = await setup()
    const target = path.join(dir, 'model-out')
    const missing = await backend.dispatch('exports.model', { runId, path: target })
    expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: `Run ${runId} has no saved model (status done); a model is saved when a run finishes` } })

    // A model folder that is not a trained model is refused by file, and nothing is left behind.
    const runFolder = backend.store.runDir(projectId, runId)
    const source = path.join(runFolder, 'model')
    mkdirSync(source, { recursive: true })
    writeFileSync(path.join(source, 'model.json'), '{"format":"layers-model"}')
    expect(await backend.dispatch('exports.model', { runId, path: target })).toMatchObject({ ok: false, error: { code: 'conflict', message: `Run ${runId}'s model cannot be exported: ${path.join(source, 'model.json')}: no modelTopology or weightsManifest` } })
    expect(existsSync(target)).toBe(false)

    await initBackend({ skipNative: true })
    const data = syntheticProblem({ seed: 1, train: 40, labeled: 12, val: 9, test: 9, dimTxt: 6, dimImg: 5, noise: 0.5, disagreement: 0, variants: 1 })
    const trained = await train({ config: makeConfig('default', { method: 'supervised', steps: 4, batchLabeled: 4, hidden: 8, clsHidden: 8, evalEvery: 2, checkpointEvery: 0 }), data })
    writeModel(runFolder, trained.artifacts, { encoder: 'default', standardize: null })
    const result = await backend.call('exports.model', { runId, path: target })
    expect(result).toEqual({ path: target, files: ['common-ground.json', 'model.json', 'model.onnx', 'preprocessing.json', 'weights.bin'] })
    expect(readFileSync(path.join(target, 'weights.bin'))).toEqual(readFileSync(path.join(source, 'weights.bin')))
    expect(JSON.parse(readFileSync(path.join(target, 'common-ground.json'), 'utf8'))).toMatchObject({
      format: 'tfjs+onnx',
      encoder: 'default',
      encoders: { text: { dim: 6 }, image: { dim: 5 } },
      classes: ['negative', 'neutral', 'positive'],
      calibration: { temperature: 1, logitAdjustment: null },
      onnx: { file: 'model.onnx', standardisation: 'none' },
      run: { id: runId, method: 'scdr' },
    })
    // A folder that holds something is never written into; no temporary folder is left behind.
    expect(await backend.dispatch('exports.model', { runId, path: target })).toEqual({
      ok: false,
      error: { code: 'conflict', message: `path: the folder ${target} is not empty; give a new or empty folder` },
    })
    expect(await backend.dispatch('exports.model', { runId: 999, path: target })).toMatchObject({ ok: false, error: { message: 'No run with id 999' } })
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([])
  })
})

describe('Label Studio import', () => {
  it('reports each bad task with the file, its line and what is wrong, and imports the rest', async () => {
    const dir = tempDir('cg-ls-')
    writeFileSync(path.join(dir, 'ok.jpg'), await jpeg(3))
    const choice = (from: string, label: string) => ({ from_name: from, to_name: 'text', type: 'choices', value: { choices: [label] } })
    const tasks = [
      { data: { text: 'fine', image: 'ok.jpg', external_id: 'ok' }, annotations: [{ result: [choice('sentiment', 'Positive'), choice('image_sentiment', 'neg')] }] },
      { nodata: true },
      { data: { image: 'ok.jpg', external_id: 'no-text' } },
      { data: { text: 'x', image: 'https://example.com/a.jpg', external_id: 'remote' } },
      { data: { text: 'x', image: 'ok.jpg', external_id: 'odd' }, annotations: [{ result: [choice('sentiment', 'ecstatic')] }] },
      { data: { text: 'x', image: '../ok.jpg', external_id: 'outside' } },
      { data: { text: 'local files', image: '/data/local-files/?d=ok.jpg', external_id: 'local', split: 'someday' }, annotations: [{ was_cancelled: true, result: [choice('sentiment', 'neutral')] }] },
    ]
    // Pretty-printed, as Label Studio writes it: each task starts on its own line.
    const file = path.join(dir, 'project-1.json')
    writeFileSync(file, JSON.stringify(tasks, null, 2))
    const backend = testBackend()
    const { id: projectId } = await backend.call('projects.create', { name: 'ls' })
    const report = await runImport({ store: backend.store, projectId, path: file })
    const text = JSON.stringify(tasks, null, 2)
    // Each task opens with a line of its own, "  {".
    const taskLine = text.split('\n').flatMap((l, i) => (l === '  {' ? [i + 1] : []))
    const lineOf = (task: number): number => taskLine[task - 1]!
    expect(report.problems.map((p) => [p.severity, p.code, p.file, p.line, p.externalId, p.message])).toEqual([
      ['error', 'bad-row', 'project-1.json', lineOf(2), undefined, 'Task 2: expected an object with a "data" object'],
      ['error', 'missing-text', 'project-1.json', lineOf(3), 'no-text', 'Task 3: data.text is missing or not text'],
      ['error', 'missing-image', 'project-1.json', lineOf(4), 'remote', 'Task 4: Image "https://example.com/a.jpg" is a URL; export the tasks with image paths relative to the JSON file'],
      ['error', 'unknown-label', 'project-1.json', lineOf(5), 'odd', 'Task 5: unknown overall label "ecstatic" (expected one of positive, neutral, negative)'],
      ['error', 'path-outside-dataset', 'project-1.json', lineOf(6), 'outside', `Task 6: Image "../ok.jpg" lies outside the file's folder ${dir}`],
      ['warning', 'unknown-split', 'project-1.json', lineOf(7), 'local', 'Task 7: unknown split "someday" (expected one of train, val, test, conflict, unassigned); left unassigned'],
    ])
    expect(report.imported).toBe(2)
    expect(labelsById(backend, projectId)).toEqual({
      ok: { text: 'fine', split: 'unassigned', labels: { overall: 'positive', text: null, image: 'negative' } },
      // A cancelled annotation is not a label.
      local: { text: 'local files', split: 'unassigned', labels: { overall: null, text: null, image: null } },
    })

    for (const [content, message] of [
      ['{not json', /^Not valid JSON/],
      ['{"data": {}}', /^Expected a JSON array of Label Studio tasks$/],
    ] as const) {
      writeFileSync(file, content)
      const bad = await runImport({ store: backend.store, projectId, path: file })
      expect(bad.problems).toEqual([expect.objectContaining({ code: 'bad-file', file: 'project-1.json', message: expect.stringMatching(message) })])
    }
  })

  it("keeps who gave each label, named by Label Studio's completed_by, and the agreement view can compare them", async () => {
    const dir = tempDir('cg-ls-team-')
    writeFileSync(path.join(dir, 'a.jpg'), await jpeg(1))
    writeFileSync(path.join(dir, 'b.jpg'), await jpeg(2))
    // completed_by as Label Studio's exports give it: a user's id, the user (with an email), or either as text.
    const said = (label: string, completedBy?: unknown) => ({
      ...(completedBy === undefined ? {} : { completed_by: completedBy }),
      result: [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: [label] } }],
    })
    const file = path.join(dir, 'team.json')
    writeFileSync(
      file,
      JSON.stringify([
        { data: { text: 'one', image: 'a.jpg', external_id: 'one' }, annotations: [said('positive', 1), said('negative', { id: 2, email: 'bo@lab.org' })] },
        { data: { text: 'two', image: 'b.jpg', external_id: 'two' }, annotations: [said('neutral', '1'), said('neutral', 'bo@lab.org'), said('positive')] },
      ]),
    )
    const backend = testBackend()
    const { id: projectId } = await backend.call('projects.create', { name: 'team' })
    expect(await runImport({ store: backend.store, projectId, path: file })).toMatchObject({ imported: 2, problems: [] })
    // The post carries the last annotation's label, as before; each person's stays in its history.
    expect(labelsById(backend, projectId)).toMatchObject({ one: { labels: { overall: 'negative' } }, two: { labels: { overall: 'positive' } } })
    expect(backend.store.annotations.postLabels(backend.store.posts.page({ projectId, offset: 0, limit: 10 }).rows.find((r) => r.externalId === 'one')!.id).history.map((h) => [h.annotator, h.label, h.source])).toEqual([
      ['bo@lab.org', 'negative', 'imported'],
      ['label-studio:1', 'positive', 'imported'],
    ])
    expect(backend.store.stats.annotatorLabels(projectId).map((a) => a.annotator).sort()).toEqual(['bo@lab.org', 'import:team.json', 'label-studio:1'])

    // The agreement view compares them when asked to (by default only labels given in the app).
    expect((await backend.call('labels.agreement', { projectId })).annotators).toEqual([])
    const team = await backend.call('labels.agreement', { projectId, imported: true })
    expect(team.annotators).toEqual(
      expect.arrayContaining([
        { annotator: 'label-studio:1', posts: 2 },
        { annotator: 'bo@lab.org', posts: 2 },
      ]),
    )
    expect(team.pairs).toEqual(expect.arrayContaining([expect.objectContaining({ a: 'bo@lab.org', b: 'label-studio:1', posts: 2, agreed: 1 })]))
    // Post two: the two named annotators agree; the unnamed annotation (the file's) does not.
    expect(team.disagreements.map((d) => [d.externalId, d.labels.map((l) => `${l.annotator} ${l.label}`)])).toEqual([
      ['one', ['bo@lab.org negative', 'label-studio:1 positive']],
      ['two', ['bo@lab.org neutral', 'import:team.json positive', 'label-studio:1 neutral']],
    ])
    // Bo relabels post one in the app: her label there counts, not the imported one.
    const one = backend.store.posts.page({ projectId, offset: 0, limit: 10 }).rows.find((r) => r.externalId === 'one')!.id
    await backend.call('labels.set', { projectId, postId: one, modality: 'overall', label: 'positive', annotator: 'bo@lab.org' })
    const after = await backend.call('labels.agreement', { projectId, imported: true })
    expect(after.pairs).toEqual(expect.arrayContaining([expect.objectContaining({ a: 'bo@lab.org', b: 'label-studio:1', posts: 2, agreed: 2 })]))
  })
})

describe('common-ground export', () => {
  it('writes the file and reports it as JSON; bad options exit non-zero with the reason', async () => {
    const { backend, dir, runId } = await setup()
    const db = backend.store.path
    const file = path.join(dir, 'cli.json')
    const ok = await cli('export', '--db', db, '--project', 'source', '--format', 'label-studio', '--out', file, '--run', String(runId), '--json')
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, project: { name: 'source' }, format: 'label-studio', runId, path: file, rows: 6 })
    expect((JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length).toBe(6)

    const badFormat = await cli('export', '--db', db, '--project', 'source', '--format', 'xml', '--out', file)
    expect([badFormat.code, badFormat.stderr.trim()]).toEqual([2, 'common-ground export: --format must be one of csv, jsonl, label-studio'])
    const badFolder = await cli('export', '--db', db, '--project', 'source', '--format', 'csv', '--out', path.join(dir, 'nope', 'x.csv'), '--json')
    expect(badFolder.code).toBe(1)
    expect(JSON.parse(badFolder.stdout)).toEqual({ ok: false, error: `--out: the folder ${path.join(dir, 'nope')} does not exist` })
    const badProject = await cli('export', '--db', db, '--project', 'nobody', '--format', 'csv', '--out', file)
    expect([badProject.code, badProject.stderr.trim()]).toEqual([1, `common-ground export: no project named "nobody" in ${db}; its projects: "source"`])
  })
})
