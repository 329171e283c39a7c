// The review queue's figures (how many pseudo-labels, how many pending, how many on posts with a
// label of their own) come from counts kept per run (migration 12) instead of a walk of every
// pseudo-label. They must say what a walk says through everything a reviewer and an annotator do:
// accept, correct, reject, undo, bulk accept and its undo, labels set in the labeling view on
// decided and undecided posts, a second run reviewing the same posts, a run writing its
// pseudo-labels again, and labels set while a run writes its pseudo-labels.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '#main/db/migrate'
import { openDatabase, openStore } from '#main/db/store'
import type { Backend } from '#main/app/backend'
import { RunsRepo } from '#main/db/runs-repo'
import { rowSource } from './support/pseudo-label-rows'
import { finishRun, plainRows as rows } from './support/finished-run'
import type { ReviewScope } from '#shared/review'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

const SCOPES: ReviewScope[] = ['all', 'unlabeled', 'labeled']

/** What the queue says for each scope: [total, pending, labeled]. */
async function figures(backend: Backend, runId: number): Promise<Record<ReviewScope, [number, number, number]>> {
  const out = {} as Record<ReviewScope, [number, number, number]>
  for (const scope of SCOPES) {
    const page = await backend.call('review.queue', { runId, offset: 0, limit: 50, scope, filter: 'all' })
    out[scope] = [page.total, page.pending, page.labeled]
  }
  return out
}

/** The same figures from a walk of every pseudo-label (the kept counts dropped inside a rolled-back savepoint). */
function walked(backend: Backend, runId: number): Record<ReviewScope, [number, number, number]> {
  const { db, review } = backend.store
  const out = {} as Record<ReviewScope, [number, number, number]>
  db.exec('SAVEPOINT walk')
  try {
    db.prepare('DELETE FROM review_counts WHERE run_id = ?').run(runId)
    for (const scope of SCOPES) {
      const c = review.counts(runId, scope)
      out[scope] = [c.all, c.pending, c.labeled]
    }
  } finally {
    db.exec('ROLLBACK TO walk; RELEASE walk')
  }
  return out
}

/**
 * The queue's figures for every run, checked against a walk; returns the first run's. Every run is
 * counted before its first page: its write counted it, the triggers kept it, nothing recounts it.
 */
async function checked(backend: Backend, runIds: number[]): Promise<Record<ReviewScope, [number, number, number]>> {
  const all = []
  for (const runId of runIds) {
    expect(backend.store.review.isCounted(runId)).toBe(true)
    const kept = await figures(backend, runId)
    expect(backend.store.review.isCounted(runId)).toBe(true)
    expect(kept).toEqual(walked(backend, runId))
    all.push(kept)
  }
  return all[0]!
}

async function setup() {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, 6)
  const runId = await finishRun(backend, projectId, rows(postIds))
  return { backend, projectId, postIds, runId }
}

describe('review counts kept per run', () => {
  it('follow accept, correct, reject, undo and labels set elsewhere, always equal to a walk', async () => {
    const { backend, projectId, postIds, runId } = await setup()
    const [p1, p2, p3, p4] = postIds as [number, number, number, number]
    expect(await checked(backend, [runId])).toEqual({ all: [6, 6, 0], unlabeled: [6, 6, 0], labeled: [0, 0, 0] })

    // An annotator labels p4 in the labeling view: it leaves the unlabeled scope.
    await backend.call('labels.set', { projectId, postId: p4, modality: 'overall', label: 'neutral', annotator: 'lea' })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 6, 1], unlabeled: [5, 5, 1], labeled: [1, 1, 1] })

    // Accepting p1 writes the run's own label: decided, still counted as unlabeled.
    await backend.call('review.decide', { runId, postId: p1, kind: 'accept', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: p2, kind: 'correct', label: 'negative', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: p3, kind: 'reject', annotator: 'ann' })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 3, 1], unlabeled: [5, 2, 1], labeled: [1, 1, 1] })

    // Replacing lea's label on p4: decided, and still on a post with a label of its own (lea's).
    await backend.call('review.decide', { runId, postId: p4, kind: 'accept', annotator: 'ann', replaces: 'neutral' })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 2, 1], unlabeled: [5, 2, 1], labeled: [1, 0, 1] })

    // Deciding again on p2 (replaced, not added), then undoing it and the rejection of p3.
    await backend.call('review.decide', { runId, postId: p2, kind: 'accept', annotator: 'ann' })
    expect((await checked(backend, [runId])).all).toEqual([6, 2, 1])
    await backend.call('review.undo', { runId, annotator: 'ann' })
    await backend.call('review.undo', { runId, annotator: 'ann' })
    await backend.call('review.undo', { runId, annotator: 'ann' })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 4, 1], unlabeled: [5, 3, 1], labeled: [1, 1, 1] })

    // Someone labels p1 (decided by the run) in the labeling view: now it stands on a label of its own.
    await backend.call('labels.set', { projectId, postId: p1, modality: 'overall', label: 'negative', annotator: 'lea' })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 4, 2], unlabeled: [4, 3, 2], labeled: [2, 1, 2] })
  })

  it('follow a bulk accept and its undo, and a second run reviewing the same posts', async () => {
    const { backend, projectId, postIds, runId } = await setup()
    await checked(backend, [runId])
    expect(await backend.call('review.bulkAccept', { runId, minConfidence: 0.9, annotator: 'ann' })).toMatchObject({ accepted: 4 })
    expect(await checked(backend, [runId])).toEqual({ all: [6, 2, 0], unlabeled: [6, 2, 0], labeled: [0, 0, 0] })

    // A second run of the same posts: its own counts; the first run's accepted labels are labels of their own to it.
    const second = await finishRun(backend, projectId, rows(postIds, [0.6]))
    expect(await checked(backend, [second, runId])).toEqual({ all: [6, 6, 4], unlabeled: [2, 2, 4], labeled: [4, 4, 4] })
    // The second run corrects a post the first accepted: for the first run that post now carries someone else's label.
    await backend.call('review.decide', { runId: second, postId: postIds[0]!, kind: 'correct', label: 'neutral', annotator: 'bo', replaces: 'positive' })
    expect(await checked(backend, [runId, second])).toEqual({ all: [6, 2, 1], unlabeled: [5, 2, 1], labeled: [1, 0, 1] })

    await backend.call('review.undo', { runId, annotator: 'ann' })
    await checked(backend, [runId, second])
    await backend.call('review.undo', { runId: second, annotator: 'bo' })
    // The first run's undo left p1 (bo had labeled it since) decided. Bo's undo gives p1 back the first
    // run's accepted label, as it was: to that run, p1 carries no label of anyone else's now.
    expect(await checked(backend, [runId, second])).toEqual({ all: [6, 5, 0], unlabeled: [6, 5, 0], labeled: [0, 0, 0] })
  })

  it('are counted again when a run writes its pseudo-labels again, and go with a deleted run', async () => {
    const { backend, projectId, postIds, runId } = await setup()
    await backend.call('review.decide', { runId, postId: postIds[0]!, kind: 'reject', annotator: 'ann' })
    expect((await checked(backend, [runId])).all).toEqual([6, 5, 0])
    // Written again (a resumed run): two pseudo-labels now, the decision on p1 still in effect.
    const db = backend.store.db
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId)
    await new RunsRepo(db).saveResults(runId, { step: 1, selectedStep: 1, elapsedMs: 1, reports: {}, curves: [], pseudoLabels: rowSource(rows(postIds.slice(0, 2))) })
    expect((await checked(backend, [runId])).all).toEqual([2, 1, 0])
    const other = await finishRun(backend, projectId, rows(postIds))
    await checked(backend, [other])
    expect(new RunsRepo(db).delete(other)).toBe(true)
    expect(db.prepare('SELECT count(*) AS n FROM review_counts WHERE run_id = ?').get(other)).toEqual({ n: 0 })
  })

  it('are kept as a run writes its pseudo-labels: labels set and a page counting between two chunks leave them equal to a walk', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 6)
    const db = backend.store.db
    const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'self-training', 'running')").run(projectId).lastInsertRowid)
    const [p1, , , , , p6] = postIds as [number, number, number, number, number, number]
    const seen: boolean[] = []
    let pause = 0
    const between = async (): Promise<void> => {
      pause += 1
      seen.push(backend.store.review.isCounted(runId))
      // After the first chunk (p1, p2): p1, written, is labeled; p6, not yet written, too.
      if (pause === 1) {
        await backend.call('labels.set', { projectId, postId: p1, modality: 'overall', label: 'neutral', annotator: 'lea' })
        await backend.call('labels.set', { projectId, postId: p6, modality: 'overall', label: 'negative', annotator: 'lea' })
      }
      // A review page asked for while the run writes counts what is there (four rows).
      if (pause === 2) backend.store.review.recount(runId)
    }
    await new RunsRepo(db).saveResults(runId, { step: 1, selectedStep: 1, elapsedMs: 1, reports: {}, curves: [], pseudoLabels: rowSource(rows(postIds)) }, { chunk: 2, between })
    // Counted from the first chunk on, before any page asked.
    expect(seen.slice(0, 2)).toEqual([true, true])
    expect(await checked(backend, [runId])).toEqual({ all: [6, 6, 2], unlabeled: [4, 4, 2], labeled: [2, 2, 2] })
  })

  it('are made for the runs of a store written before they existed, as a walk counts them', () => {
    const file = path.join(tempDir(), 'v11.db')
    const old = openDatabase(file)
    migrate(old, 11)
    old.exec(`
      INSERT INTO projects (id, name) VALUES (1, 'old');
      INSERT INTO sources (id, project_id, root, format) VALUES (1, 1, '/data', 'mvsa');
      INSERT INTO posts (id, project_id, source_id, external_id, text, image_path, image_hash, width, height)
        VALUES (1, 1, 1, 'a', 'a', 'a.jpg', 'h1', 1, 1), (2, 1, 1, 'b', 'b', 'b.jpg', 'h2', 1, 1), (3, 1, 1, 'c', 'c', 'c.jpg', 'h3', 1, 1);
      INSERT INTO runs (id, project_id, method, status) VALUES (1, 1, 'scdr', 'done'), (2, 1, 'scdr', 'done');
      INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (1, 1, 'neutral', 0.6), (1, 2, 'positive', 0.7), (1, 3, 'negative', 0.8), (2, 1, 'neutral', 0.5);
      -- p2 carries a human label; p1 was accepted in run 1's review (its label written by run 1).
      INSERT INTO annotations (id, project_id, post_id, modality, label, source, annotator) VALUES (1, 1, 2, 'overall', 'negative', 'human', 'lea');
      INSERT INTO annotations (id, project_id, post_id, modality, label, source, annotator, run_id) VALUES (2, 1, 1, 'overall', 'neutral', 'pseudo-accepted', 'ann', 1);
      INSERT INTO review_steps (id, run_id, annotator, kind) VALUES (1, 1, 'ann', 'single');
      INSERT INTO review_decisions (step_id, run_id, post_id, kind, label, annotation_id) VALUES (1, 1, 1, 'accepted', 'neutral', 2);
    `)
    old.close()
    const store = openStore(file)
    const cells = (runId: number) => store.db.prepare('SELECT decided, labeled, n FROM review_counts WHERE run_id = ? ORDER BY decided, labeled').all(runId)
    // Run 1: p1 decided (its label is the run's own), p2 on a human label, p3 neither. Run 2: p1 carries run 1's label.
    expect(cells(1)).toEqual([
      { decided: 0, labeled: 0, n: 1 },
      { decided: 0, labeled: 1, n: 1 },
      { decided: 1, labeled: 0, n: 1 },
      { decided: 1, labeled: 1, n: 0 },
    ])
    expect(cells(2)).toEqual([
      { decided: 0, labeled: 0, n: 0 },
      { decided: 0, labeled: 1, n: 1 },
      { decided: 1, labeled: 0, n: 0 },
      { decided: 1, labeled: 1, n: 0 },
    ])
    expect(store.review.counts(1, 'unlabeled')).toEqual({ all: 2, decided: 1, pending: 1, labeled: 1 })
    store.close()
  })
})
