import Database from 'better-sqlite3'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate, schemaVersionOf } from '#main/db/migrate'
import { riskModelOf } from '#main/review/risk'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '#main/db/migrations'
import { openDatabase, openStore } from '#main/db/store'
import { ensureRanked } from '#main/review/ranking'
import { tempDir } from './support/temp'

/** Fills a database the way releases at versions 1 and 2 wrote it (their tables and columns only). */
function seedVersion1(db: Database.Database): void {
  db.exec(`
    INSERT INTO projects (id, name) VALUES (1, 'old');
    INSERT INTO sources (id, project_id, root, format) VALUES (1, 1, '/data', 'mvsa');
    INSERT INTO posts (id, project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
      VALUES (1, 1, 1, 'a', 'first', 'data/a.jpg', 'h1', 10, 10, 'train'),
             (2, 1, 1, 'b', 'second', 'data/b.jpg', 'h2', 10, 10, 'test');
    INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES
      (1, 1, 'overall', 'positive', 'imported', 'mvsa'),
      (1, 1, 'overall', 'negative', 'human', 'ann'),   -- a later correction: the current label
      (1, 1, 'text', 'neutral', 'imported', 'mvsa'),
      (1, 2, 'overall', 'neutral', 'human', 'ann'),
      (1, 2, 'overall', NULL, 'human', 'ann');         -- cleared by an undo
    INSERT INTO runs (id, project_id, method, status) VALUES (1, 1, 'scdr', 'done');
    INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (1, 2, 'neutral', 0.6);
  `)
}

describe('schema migrations', () => {
  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  // Every earlier schema version, filled with data as that version stored it, must migrate forward.
  for (const from of MIGRATIONS.slice(0, -1).map((m) => m.version)) {
    it(`migrates a database made at version ${from} to ${LATEST_SCHEMA_VERSION} and keeps its data`, () => {
      const file = path.join(tempDir(), 'old.db')
      const old = openDatabase(file)
      migrate(old, from)
      expect(schemaVersionOf(old)).toBe(from)
      seedVersion1(old)
      old.close()

      const store = openStore(file)
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
      expect(store.projects.list().map((p) => [p.name, p.postCount])).toEqual([['old', 2]])
      const page = store.posts.page({ projectId: 1, offset: 0, limit: 10 })
      expect(page.rows.map((r) => [r.externalId, r.labels.overall, r.labels.text])).toEqual([
        ['a', 'negative', 'neutral'],
        ['b', null, null],
      ])
      expect(store.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 5 })

      // Version 3 (labeling): old rows read as plain labels, no target yet, an empty undo stack,
      // and the new queries work on the old data.
      expect(store.annotations.postLabels(1).history.map((h) => [h.label, h.kind, h.annotator])).toEqual([
        ['neutral', 'label', 'mvsa'],
        ['negative', 'label', 'ann'],
        ['positive', 'label', 'mvsa'],
      ])
      expect(store.projects.labelTarget(1)).toBeNull()
      expect(store.stats.labelCounts(1)).toEqual(store.stats.forProject(1).labels)
      expect(store.labelActions.nextUndo(1, 'ann')).toBeNull()
      expect(store.queue.page({ projectId: 1, pseudo: true, limit: 10 }).items.map((i) => i.post.externalId)).toEqual(['b'])
      expect(store.pseudoLabels.latestFor(1, 2)).toEqual({ runId: 1, label: 'neutral', confidence: 0.6 })

      // Versions 4 and 6 (training runs): the old run reads as a finished run with nothing
      // recorded about its labels or metrics, and no process owning it.
      expect(store.runs.list(1)).toMatchObject([{ id: 1, method: 'scdr', status: 'done', preset: '', step: 0, steps: 0, labels: { total: 0 }, elapsedMs: null }])
      expect(store.runs.detail(1)!.metrics).toEqual({})

      // Version 5 (review): the sources table was rebuilt without touching the posts that
      // reference it; foreign keys are on again; the old run's pseudo-label waits for review; a
      // Label Studio source can be recorded.
      expect(store.db.prepare('SELECT id, root, format FROM sources').all()).toEqual([{ id: 1, root: '/data', format: 'mvsa' }])
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(store.review.counts(1, 'all')).toMatchObject({ all: 1, pending: 1 })
      expect(() => store.db.prepare("INSERT INTO sources (project_id, root, format) VALUES (1, '/ls', 'label-studio')").run()).not.toThrow()
      expect(() => store.db.prepare("INSERT INTO sources (project_id, root, format) VALUES (1, '/x', 'xml')").run()).toThrow(/CHECK/)
      // Version 7: the old run is ranked for review on first use. Version 8: it has no calibration,
      // so the fallback risk weights rank it.
      expect(store.review.isRanked(1)).toBe(false)
      expect(store.runs.calibration(1)).toBeNull()
      ensureRanked(store.review, 1, riskModelOf(store.runs.calibration(1)))
      expect(store.review.page({ runId: 1, order: 'risk', filter: 'pending', scope: 'all', offset: 0, limit: 5 }).map((r) => r.postId)).toEqual([2])
      store.close()
    })
  }

  it('version 16: the label history stays append-only in every column; only a deleted run\'s link goes', () => {
    const store = openStore(':memory:')
    const { db } = store
    db.exec(`
      INSERT INTO projects (id, name) VALUES (1, 'p');
      INSERT INTO sources (id, project_id, root, format) VALUES (1, 1, '/data', 'folder');
      INSERT INTO posts (id, project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
        VALUES (1, 1, 1, 'a', 'first', 'a.jpg', 'h1', 10, 10, 'train');
      INSERT INTO runs (id, project_id, method, status) VALUES (1, 1, 'scdr', 'done'), (2, 1, 'scdr', 'done');
      INSERT INTO annotations (id, project_id, post_id, modality, label, source, annotator, run_id)
        VALUES (1, 1, 1, 'overall', 'positive', 'pseudo-accepted', 'ann', 1);
    `)
    const columns = (db.pragma('table_info(annotations)') as Array<{ name: string }>).map((c) => c.name)
    for (const column of columns.filter((c) => c !== 'run_id')) {
      expect(() => db.exec(`UPDATE annotations SET ${column} = ${column}`), column).toThrow('annotations are append-only')
    }
    expect(() => db.exec('UPDATE annotations SET run_id = 2')).toThrow('annotations are append-only')
    // The run the label was accepted from is deleted: the label stays, as the post's label, without its run.
    expect(store.runs.delete(1)).toBe(true)
    expect(db.prepare('SELECT label, source, run_id FROM annotations').all()).toEqual([{ label: 'positive', source: 'pseudo-accepted', run_id: null }])
    expect(store.annotations.postLabels(1).labels.overall).toBe('positive')
    store.close()
  })

  it("version 18: a stored self-training run counts every round's fit, as its charts do; other runs keep theirs", () => {
    const file = path.join(tempDir(), 'v17.db')
    const old = openDatabase(file)
    migrate(old, 17)
    const rounds = (n: number): string => JSON.stringify({ method: 'self-training', steps: 1000, selfTraining: { rounds: n, threshold: 0.7 } })
    old.prepare("INSERT INTO projects (id, name) VALUES (1, 'p')").run()
    const insert = old.prepare('INSERT INTO runs (id, project_id, method, status, step, steps, config) VALUES (?, 1, ?, ?, ?, ?, ?)')
    insert.run(1, 'self-training', 'done', 1000, 1000, rounds(4))
    insert.run(2, 'self-training', 'cancelled', 2300, 1000, rounds(4)) // stopped in round 2: its step counted every fit already
    insert.run(3, 'self-training', 'done', 200, 200, rounds(0))
    insert.run(4, 'scdr', 'done', 500, 500, JSON.stringify({ method: 'scdr', steps: 500, selfTraining: { rounds: 4 } }))
    insert.run(5, 'self-training', 'done', 1000, 1000, '{}') // rounds not recorded: left as it was
    old.close()

    const store = openStore(file)
    expect(store.runs.list(1).map((r) => [r.id, r.step, r.steps]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [1, 5000, 5000],
      [2, 2300, 5000],
      [3, 200, 200],
      [4, 500, 500],
      [5, 1000, 1000],
    ])
    store.close()
  })

  it("version 21: every foreign key's child column leads an index, so a deleted post or annotation looks its children up", () => {
    const store = openStore(path.join(tempDir(), 'fk.db'))
    const db = store.db
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
    const unindexed: string[] = []
    for (const { name } of tables) {
      const leading = db.prepare<[], { name: string }>(`PRAGMA index_list(${name})`).all().map((i) => db.prepare<[], { name: string }>(`PRAGMA index_info(${i.name})`).all()[0]?.name)
      const primary = db.prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${name})`).all().find((c) => c.pk === 1)?.name
      for (const fk of db.prepare<[], { from: string; table: string }>(`PRAGMA foreign_key_list(${name})`).all()) {
        if (fk.from !== primary && !leading.includes(fk.from)) unindexed.push(`${name}.${fk.from} -> ${fk.table}`)
      }
    }
    expect(unindexed).toEqual([])
    // A nullable column's index is partial (IS NOT NULL); the lookup SQLite makes for a deleted parent uses it.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM review_decisions WHERE before_annotation_id = ?').all(1) as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX review_decisions_fk_before_annotation_id/)
    store.close()
  })

  it('opens an up-to-date database again without changing it', () => {
    const file = path.join(tempDir(), 'x.db')
    openStore(file).close()
    const again = openStore(file)
    expect(again.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    again.close()
  })

  it('refuses a database from a newer release, leaving it untouched', () => {
    const file = path.join(tempDir(), 'new.db')
    const db = new Database(file)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    db.close()
    expect(() => openStore(file)).toThrow(/newer than this release/)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1)
    check.close()
  })

  it('keeps annotations append-only', () => {
    const store = openStore(path.join(tempDir(), 'a.db'))
    seedVersion1(store.db)
    expect(() => store.db.prepare("UPDATE annotations SET label = 'positive'").run()).toThrow(/append-only/)
    store.close()
  })

  it('runs with WAL, foreign keys and a busy timeout', () => {
    const store = openStore(path.join(tempDir(), 'p.db'))
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000)
    store.close()
  })
})
