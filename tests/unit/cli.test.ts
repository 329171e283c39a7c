import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBackend } from '#main/app/backend'
import type { Modality, Sentiment } from '#shared/vocabulary'
import { describeWithMvsa, MVSA_SINGLE } from './support/mvsa'
import { seedProject } from './support/posts'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'
import { cli } from './support/cli'

describe('the command line', () => {
  it('imports a folder and reports stats as JSON', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'a.jpg'), await jpeg(1))
    writeFileSync(path.join(dir, 'a.txt'), 'hello')
    const db = path.join(tempDir(), 'cli.db')
    const imported = await cli('import', dir, '--project', 'Demo', '--db', db, '--json')
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, imported: 1, format: 'folder', problems: [] })
    const stats = await cli('stats', '--project', 'demo', '--db', db, '--json')
    expect(JSON.parse(stats.stdout)).toMatchObject({ ok: true, total: 1, splits: { unassigned: 1 } })
    // The store's projects, by the names --project takes.
    expect((await cli('projects', '--db', db)).stdout).toMatch(/^Demo · 1 post · created \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m)
    expect(JSON.parse((await cli('projects', '--db', db, '--json')).stdout)).toMatchObject({ ok: true, projects: [{ name: 'Demo', postCount: 1 }] })
  })

  it('counts labels per class and modality for each annotator', async () => {
    const db = path.join(tempDir(), 'cli.db')
    const backend = createBackend({ dbPath: db, shell: { shell: 'browser' } })
    const { projectId, postIds } = seedProject(backend.store, 3, 'Labeled')
    const set = (postId: number, modality: Modality, label: Sentiment, annotator: string) =>
      backend.call('labels.set', { projectId, postId, modality, label, annotator })
    await set(postIds[0]!, 'overall', 'positive', 'ann')
    await set(postIds[1]!, 'overall', 'positive', 'ann')
    await set(postIds[1]!, 'text', 'negative', 'ann')
    await set(postIds[1]!, 'overall', 'neutral', 'bob')
    await set(postIds[2]!, 'image', 'negative', 'bob')
    await backend.call('labels.undo', { projectId, annotator: 'bob' }) // bob's image label is cleared
    backend.close()

    const stats = JSON.parse((await cli('stats', '--project', 'Labeled', '--db', db, '--json')).stdout)
    const zero = { positive: 0, neutral: 0, negative: 0 }
    expect(stats.labels).toEqual({ overall: { ...zero, positive: 1, neutral: 1 }, text: { ...zero, negative: 1 }, image: zero })
    expect(stats.annotators).toEqual([
      { annotator: 'ann', source: 'human', count: 3 },
      { annotator: 'bob', source: 'human', count: 3 },
    ])
    expect(stats.annotatorLabels).toEqual([
      { annotator: 'ann', labels: { overall: { ...zero, positive: 2 }, text: { ...zero, negative: 1 }, image: zero } },
      { annotator: 'bob', labels: { overall: { ...zero, neutral: 1 }, text: zero, image: zero } },
    ])
    const text = await cli('stats', '--project', 'Labeled', '--db', db)
    expect(text.stdout).toContain('labels of ann: overall positive 2 neutral 0 negative 0; text positive 0 neutral 0 negative 1; image positive 0 neutral 0 negative 0')
  })

  it('fails with a non-zero exit and a message naming the problem', async () => {
    const db = path.join(tempDir(), 'cli.db')
    const empty = await cli('stats', '--project', 'nope', '--db', db, '--json')
    expect(empty.code).toBe(1)
    expect(JSON.parse(empty.stdout)).toEqual({ ok: false, error: expect.stringMatching(/no project named "nope" in .*; it has no projects yet \(import creates one\)$/) })
    await cli('import', tempDir(), '--project', 'Real one', '--db', db)
    // A name mistyped: the store's names are given.
    expect((await cli('stats', '--project', 'real', '--db', db)).stderr).toMatch(/no project named "real" in .*; its projects: "Real one"/)
    const noPath = await cli('import', '/does/not/exist', '--project', 'x', '--db', db)
    expect(noPath.code).toBe(1)
    expect(noPath.stderr).toContain('/does/not/exist')
    expect((await cli('frobnicate')).code).toBe(2)
    expect((await cli('import', '--project', 'x', '--db', db)).code).toBe(2)
    expect((await cli('import', tempDir(), '--project', 'x', '--format', 'xml', '--db', db)).code).toBe(2)
  })
})

// The shared MVSA-Single copy is read in place (research use; never copied into the repository).
describeWithMvsa('the real MVSA-Single copy', () => {
  it('imports all 4,358 posts with no problem, and stats match labelResultAll.txt and splits.csv', { timeout: 300_000 }, async () => {
    const db = path.join(tempDir(), 'mvsa.db')
    const imported = await cli('import', MVSA_SINGLE, '--project', 'mvsa', '--db', db, '--json')
    expect(imported.code).toBe(0)
    const report = JSON.parse(imported.stdout)
    expect(report).toMatchObject({ imported: 4358, skipped: 0, problems: [] })

    // Expected figures, counted here straight from the files.
    const labelRows = readFileSync(path.join(MVSA_SINGLE, 'labelResultAll.txt'), 'utf8').trim().split(/\r?\n/).slice(1)
    const count = (values: string[]): Record<string, number> =>
      values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {})
    const pairs = labelRows.map((r) => r.split('\t')[1]!.split(','))
    const splits = count(readFileSync(path.join(MVSA_SINGLE, 'splits.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((r) => r.split(',')[1]!))

    const stats = JSON.parse((await cli('stats', '--project', 'mvsa', '--db', db, '--json')).stdout)
    expect(stats.splits).toEqual({ train: 3196, val: 405, test: 399, conflict: 358, unassigned: 0 })
    expect(stats.splits).toMatchObject(splits)
    expect(stats.labels.text).toEqual({ positive: 0, neutral: 0, negative: 0, ...count(pairs.map((p) => p[0]!)) })
    expect(stats.labels.image).toEqual({ positive: 0, neutral: 0, negative: 0, ...count(pairs.map((p) => p[1]!)) })
    expect(stats.conflicts).toBe(pairs.filter(([t, i]) => (t === 'positive' && i === 'negative') || (t === 'negative' && i === 'positive')).length)
    // The test split as published (MEASUREMENTS.md): 120 negative, 43 neutral, 236 positive.
    expect(stats.overallBySplit.test).toEqual({ positive: 236, neutral: 43, negative: 120, unlabeled: 0 })

    // Every text that is not UTF-8 was read as GB18030 without a replacement character.
    const { default: Database } = await import('better-sqlite3')
    const store = new Database(db, { readonly: true })
    const texts = new Map((store.prepare('SELECT external_id AS id, text FROM posts').all() as Array<{ id: string; text: string }>).map((r) => [r.id, r.text]))
    store.close()
    const utf8 = new TextDecoder('utf-8', { fatal: true })
    const gb = new TextDecoder('gb18030')
    let nonUtf8 = 0
    for (const [id, text] of texts) {
      const bytes = readFileSync(path.join(MVSA_SINGLE, 'data', `${id}.txt`))
      let expected: string
      try {
        expected = utf8.decode(bytes)
      } catch {
        nonUtf8++
        expected = gb.decode(bytes)
      }
      expect(text).not.toContain('\uFFFD')
      expect(text).toBe(expected.replace(/\r\n?/g, '\n').trim())
    }
    expect(nonUtf8).toBeGreaterThan(1000) // about a quarter of the copy, per its README
  })
})
