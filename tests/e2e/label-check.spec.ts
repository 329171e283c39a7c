// Finding the human labels that are probably wrong (issue 15, part 2), in the browser. Sixty
// imported MVSA train posts get cached vectors of the default pair written straight into the store
// (drawn from each post's imported label, so no extraction is needed), then a human gives three of
// them a wrong label. From the Review view the reviewer starts a label check, watches it finish,
// finds those three at the top with the evidence (given label and who gave it, suggested label,
// out-of-fold probabilities), relabels one as suggested (A), undoes it (Ctrl+Z), keeps another (R);
// the post's history shows the correction and its undo.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { openStore } from '#main/db/store'
import { builtInPairInfo, CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { seededRandom } from '#main/core/random'
import { closeImportReport, createProject, importFolder, nameForProject } from './flows'
import { api } from './api'
import { useMvsaSubset } from './subset-fixture'

const subset = useMvsaSubset({ train: 60 })
const WRONG: Record<Sentiment, Sentiment> = { negative: 'positive', neutral: 'negative', positive: 'neutral' }

/** Clean vectors of the default pair for every labeled post, a raised block per class plus noise. */
function seedFeatures(projectId: number): Array<{ id: number; label: Sentiment }> {
  const store = openStore(path.join(process.env.CG_E2E_DIR!, 'e2e.db'))
  try {
    const posts = store.db
      .prepare('SELECT id, label_overall AS label FROM posts WHERE project_id = ? AND label_overall IS NOT NULL AND conflict = 0 ORDER BY id')
      .all(projectId) as Array<{ id: number; label: Sentiment }>
    const pair = builtInPairInfo(CURRENT_DEFAULT)!
    const next = seededRandom(3)
    const vector = (label: Sentiment, dim: number): Float32Array =>
      Float32Array.from({ length: dim }, (_, j) => (Math.floor((j % 30) / 10) === CONFUSION_ORDER.indexOf(label as (typeof CONFUSION_ORDER)[number]) ? 1 : 0) + (next() - 0.5) * 1.5)
    store.features.write(posts.flatMap((p) => [pair.text, pair.image].map((e) => ({ postId: p.id, encoder: e.id, view: 'clean', vector: vector(p.label, e.dim) }))))
    return posts
  } finally {
    store.close()
  }
}

test('a label check lists the wrong labels first and relabels, keeps and undoes with the review keys', async ({ page }, testInfo) => {
  const { dir } = subset()
  await page.goto('/')
  await createProject(page, `Label check ${Date.now()}`)
  await importFolder(page, dir, 'mvsa')
  await closeImportReport(page)
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  // The reviewer's name, kept per project in this browser.
  await nameForProject(page, projectId, 'ann')
  const posts = seedFeatures(projectId)
  expect(posts.length).toBeGreaterThanOrEqual(30)
  const planted = [posts[4]!, posts[17]!, posts[33]!]
  for (const p of planted) await api(page, 'labels.set', { projectId, postId: p.id, modality: 'overall', label: WRONG[p.label], annotator: 'rita' })

  await page.goto(`/#/projects/${projectId}/review`)
  await page.getByTestId('review-label-check').click()
  await expect(page.getByTestId('check-empty')).toBeVisible()
  await page.getByTestId('check-start').click()
  await expect(page.getByTestId('check-item')).toBeVisible({ timeout: 120_000 })
  await expect(page.getByTestId('check-start')).toBeVisible()

  // The three planted labels head the list, each with its evidence.
  const rows = page.getByTestId('check-queue-item')
  const top = await Promise.all([0, 1, 2].map(async (i) => Number(await rows.nth(i).getAttribute('data-post-id'))))
  expect(top.sort((a, b) => a - b)).toEqual(planted.map((p) => p.id).sort((a, b) => a - b))
  const evidence = page.getByTestId('check-evidence')
  await expect(page.getByTestId('check-given-by')).toContainText('labeled by rita')
  await expect(page.getByTestId('check-probabilities').locator('tr')).toHaveCount(3)
  // The post's own text and image labels (MVSA's, imported) beside the overall one under check.
  const shown = Number(await rows.first().getAttribute('data-post-id'))
  const own = (await api(page, 'labels.post', { projectId, postId: shown })).labels.labels
  expect(own.text ?? own.image).not.toBeNull()
  for (const modality of ['text', 'image'] as const) {
    await expect(page.getByTestId('check-modalities').getByTestId(`label-${modality}`)).toHaveAttribute('data-label', own[modality] ?? 'none')
  }
  await page.screenshot({ path: testInfo.outputPath('label-check-list.png') })

  // A: the suggested label replaces the given one, as a correction by the reviewer.
  const item = page.getByTestId('check-queue-item').first()
  const postId = Number(await item.getAttribute('data-post-id'))
  const given = (await evidence.getAttribute('data-given')) as Sentiment
  const suggested = (await evidence.getAttribute('data-suggested')) as Sentiment
  await page.keyboard.press('a')
  await expect(item).toHaveAttribute('data-decision', 'accepted')
  await expect(page.getByTestId('check-save-status')).toContainText(`replacing ${given}`)
  await expect.poll(async () => (await api(page, 'labels.post', { projectId, postId })).labels.current.overall?.label).toBe(suggested)
  await page.screenshot({ path: testInfo.outputPath('label-check-accepted.png') })

  // Ctrl+Z: rita's label is back as hers, and the history keeps every row: ann's correction, and
  // its undo in ann's name.
  await page.keyboard.press('Control+z')
  await expect(item).toHaveAttribute('data-decision', 'pending')
  const history = (await api(page, 'labels.post', { projectId, postId })).labels.history.filter((h) => h.modality === 'overall').slice(0, 4)
  expect(history.map((h) => [h.label, h.source, h.kind, h.annotator])).toEqual([
    [given, 'human', 'undo', 'rita'],
    [null, 'correction', 'undo', 'ann'],
    [suggested, 'correction', 'label', 'ann'],
    [given, 'human', 'label', 'rita'],
  ])

  // R: the label stays, the item is reviewed.
  await page.keyboard.press('r')
  await expect(item).toHaveAttribute('data-decision', 'kept')
  expect((await api(page, 'labels.post', { projectId, postId })).labels.current.overall?.label).toBe(given)
  await page.screenshot({ path: testInfo.outputPath('label-check-kept.png') })

  // Shown only what is left to decide, the kept post is gone from the list; shown the decided, it is there.
  const kept = page.locator(`[data-testid="check-queue-item"][data-post-id="${postId}"]`)
  await page.getByTestId('check-filter').selectOption('pending')
  await expect(kept).toHaveCount(0)
  await expect(page.getByTestId('check-queue-item').first()).toBeVisible()
  await page.getByTestId('check-filter').selectOption('decided')
  await expect(page.getByTestId('check-queue-item')).toHaveCount(1)
  await expect(kept).toHaveAttribute('data-decision', 'kept')
  await page.screenshot({ path: testInfo.outputPath('label-check-decided.png') })
})
