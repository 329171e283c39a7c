// A reviewer meets posts that already carry a label (issue 12, finding 1). The run is written
// straight into the store (a finished run's pseudo-labels, as training leaves them) so this spec
// needs no extraction or training: twelve imported MVSA train posts, four of them cleared. The queue
// opens on the four without a label and says how many labeled ones it leaves out; asked to, it shows
// those, each with its label, who set it and when, and what accepting replaces; the accept is saved
// as "replacing …", Ctrl+Z puts the imported label back, and the post's history keeps all three.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'
import { openStore } from '#main/db/store'
import { closeImportReport, createProject, importFolder, nameForProject } from './flows'
import { api } from './api'
import { useMvsaSubset } from './subset-fixture'

const subset = useMvsaSubset({ train: 12 })
const CLEARED = 4

/** A finished run proposing, for every train post, a class other than its imported label (the next one round). */
function seedRun(projectId: number): { runId: number; cleared: number[] } {
  const store = openStore(path.join(process.env.CG_E2E_DIR!, 'e2e.db'))
  try {
    const posts = store.db
      .prepare("SELECT id, label_overall AS label FROM posts WHERE project_id = ? AND split = 'train' AND label_overall IS NOT NULL ORDER BY id")
      .all(projectId) as Array<{ id: number; label: Sentiment }>
    const cleared = posts.slice(0, CLEARED).map((p) => p.id)
    return store.db.transaction(() => {
      for (const postId of cleared) store.annotations.append({ projectId, postId, modality: 'overall', label: null, source: 'human', kind: 'label', annotator: 'rita' })
      const runId = Number(store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
      const insert = store.db.prepare('INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, ?, ?)')
      posts.forEach((p, i) => insert.run(runId, p.id, SENTIMENTS[(SENTIMENTS.indexOf(p.label) + 1) % 3], 0.34 + i / 100))
      return { runId, cleared }
    })()
  } finally {
    store.close()
  }
}

test('review shows the label a post carries and replaces it only as a visible, undoable decision', async ({ page }, testInfo) => {
  const { dir } = subset()
  await page.goto('/')
  await createProject(page, `Review labeled ${Date.now()}`)
  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures.imported).toBe(12)
  await closeImportReport(page)
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  // The reviewer's name, kept per project in this browser (stores/annotator.ts).
  await nameForProject(page, projectId, 'ann')
  const { runId, cleared } = seedRun(projectId)
  const labeledCount = (await api(page, 'review.queue', { runId, scope: 'labeled', offset: 0, limit: 50 })).total
  expect(labeledCount).toBeGreaterThan(0)

  // By default: only the posts without a label, and a line saying the others are left out.
  await page.goto(`/#/projects/${projectId}/review?run=${runId}`)
  const counts = page.getByTestId('review-counts')
  await expect(counts).toHaveAttribute('data-total', String(CLEARED))
  await expect(counts).toHaveAttribute('data-labeled', String(labeledCount))
  await expect(page.getByTestId('review-labeled-hidden')).toContainText(`${labeledCount} proposals on posts that already carry a label are not shown`)
  expect(cleared).toContain(Number(await page.getByTestId('review-item').getAttribute('data-post-id')))
  await expect(page.getByTestId('review-existing')).toHaveAttribute('data-label', '')
  await expect(page.getByTestId('review-replaces')).toHaveText('No label yet: accepting gives it one.')
  await page.screenshot({ path: testInfo.outputPath('review-unlabeled-scope.png') })

  // Asked for: the labeled ones, each with its label, who set it and when, and what accepting replaces.
  await page.getByTestId('review-show-labeled').click()
  await expect(page.getByTestId('review-scope')).toHaveValue('labeled')
  await expect(counts).toHaveAttribute('data-total', String(labeledCount))
  const item = page.getByTestId('review-item')
  const postId = Number(await item.getAttribute('data-post-id'))
  const existing = page.getByTestId('review-existing')
  await expect(existing).toHaveAttribute('data-source', 'imported')
  const own = (await existing.getAttribute('data-label')) as Sentiment
  const proposed = (await page.getByTestId('review-proposed').getAttribute('data-label')) as Sentiment
  expect(own).not.toBe(proposed)
  await expect(page.getByTestId('review-existing-who')).toContainText('imported by ')
  await expect(page.getByTestId('review-replaces')).toContainText(`Accepting will replace ${own} with ${proposed}`)
  await page.screenshot({ path: testInfo.outputPath('review-labeled-before-accept.png') })

  // Accept: saved as a replacement, the post's label is the proposal.
  await page.keyboard.press('a')
  await expect(page.getByTestId('review-save-status')).toHaveAttribute('data-state', 'saved')
  await expect(page.getByTestId('review-save-status')).toContainText(`accepted, replacing ${own}`)
  expect((await api(page, 'labels.post', { projectId, postId })).labels.labels.overall).toBe(proposed)
  await page.locator(`[data-testid="review-queue-item"][data-post-id="${postId}"]`).click()
  await expect(page.getByTestId('review-replaces')).toContainText(`Replaced by ${proposed} in this review`)
  await page.screenshot({ path: testInfo.outputPath('review-labeled-after-accept.png') })

  // Ctrl+Z: the imported label is back, and the history holds all three rows with their sources.
  await page.keyboard.press('Control+z')
  await expect(item).toHaveAttribute('data-decision', 'pending')
  await expect(page.getByTestId('review-save-status')).toHaveAttribute('data-state', 'saved')
  const labels = (await api(page, 'labels.post', { projectId, postId })).labels
  expect(labels.labels.overall).toBe(own)
  const overall = labels.history
    .filter((h) => h.modality === 'overall')
    .reverse()
    .map((h) => [h.label, h.source, h.kind, h.runId])
  expect(overall.slice(-3)).toEqual([
    [own, 'imported', 'label', null],
    [proposed, 'pseudo-accepted', 'label', runId],
    [own, 'imported', 'undo', null],
  ])

  // Bulk accept leaves the labeled posts out, and says so.
  await page.getByTestId('review-bulk').click()
  await page.getByTestId('bulk-threshold').fill('0')
  await expect(page.getByTestId('bulk-labeled-left-out')).toContainText(`${labeledCount} proposals on posts that already carry a label are left out`)
  await expect(page.getByTestId('bulk-preview')).toHaveAttribute('data-count', String(CLEARED))
  // The run was stored without a calibration: the dialog says its threshold is on uncalibrated confidences.
  await expect(page.getByTestId('bulk-uncalibrated')).toContainText("This run's confidences are not calibrated")
  await expect(page.getByTestId('bulk-uncalibrated')).toContainText('no validation posts')
  await page.screenshot({ path: testInfo.outputPath('review-bulk-leaves-labeled.png') })
})
