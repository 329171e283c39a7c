// A run taught by an ONNX text sentiment model the user points to (issue 14), in the browser: the
// launch dialog's teacher fields take the model's folder, the run shows which model taught it (its
// file's hash), and its review says, on a post where the teacher and the run disagree, what the
// teacher said; the queue narrows to those posts. The features are written straight into the store
// (vectors that separate the imported labels, as the unit tests' training projects have), so this
// spec needs no extraction; the teacher is the tiny classifier the unit tests build.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { openStore } from '#main/db/store'
import { closeImportReport, createProject, importFolder, nameForProject } from './flows'
import { useMvsaSubset } from './subset-fixture'
import { cacheSeparableFeatures } from '../unit/support/training-project'
import { writeTeacherFolder } from '../unit/support/tiny-teacher'

const subset = useMvsaSubset({ train: 60, val: 15, test: 15 })
const RUN_TIMEOUT = 5 * 60_000

/** Vectors for every post of the project that separate its imported overall labels. */
function cacheFeatures(projectId: number): void {
  const store = openStore(path.join(process.env.CG_E2E_DIR!, 'e2e.db'))
  try {
    const posts = store.db.prepare('SELECT id, label_overall AS label FROM posts WHERE project_id = ? ORDER BY id').all(projectId) as Array<{ id: number; label: Sentiment | null }>
    cacheSeparableFeatures(
      store,
      posts.map((p) => p.id),
      posts.map((p) => (p.label ? CONFUSION_ORDER.indexOf(p.label) : 0)),
    )
  } finally {
    store.close()
  }
}

test('a run taught by an ONNX text model shows the teacher as a reason where it disagrees', async ({ page }, testInfo) => {
  test.setTimeout(RUN_TIMEOUT + 120_000)
  const { dir } = subset()
  const teacher = writeTeacherFolder(mkdtempSync(path.join(tmpdir(), 'common-ground-teacher-')))
  await page.goto('/')
  await createProject(page, `Teacher reasons ${Date.now()}`)
  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures.imported).toBe(90)
  await closeImportReport(page)
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  await nameForProject(page, projectId, 'rita')
  cacheFeatures(projectId)

  // FixMatch on a budget of 15 drawn labels, taught by the ONNX model in the folder typed into the teacher fields.
  await page.getByTestId('nav-train').click()
  await page.getByTestId('open-launch').click()
  const dialog = page.getByTestId('launch-dialog')
  await dialog.getByTestId('launch-method').selectOption('fixmatch')
  await dialog.getByTestId('launch-preset').selectOption('quick')
  await dialog.getByTestId('launch-labels-draw').check()
  await dialog.getByTestId('launch-budget').fill('15')
  const fields = dialog.getByTestId('launch-teacher')
  await fields.getByTestId('launch-teacher-source').selectOption('onnx')
  await expect(fields).toContainText('model.onnx, tokenizer.json and labels.json')
  // A folder that is not there is named by the plan before anything starts.
  await fields.getByTestId('launch-teacher-folder-path').fill(path.join(teacher, 'missing'))
  await expect(fields.getByRole('alert')).toContainText('no such folder')
  await expect(dialog.getByTestId('launch-start')).toBeDisabled()
  await fields.getByTestId('launch-teacher-folder-path').fill(teacher)
  await expect(dialog.getByTestId('launch-start')).toBeEnabled()
  await page.screenshot({ path: testInfo.outputPath('launch-onnx-teacher.png') })
  await dialog.getByTestId('launch-start').click()
  const monitor = page.getByTestId('run-monitor')
  await expect(monitor).toHaveAttribute('data-status', /done|failed|cancelled/, { timeout: RUN_TIMEOUT })
  await expect(page.getByTestId('run-error')).toHaveCount(0)
  await expect(page.getByTestId('run-teacher')).toHaveAttribute('data-source', 'onnx')
  await expect(page.getByTestId('run-teacher')).toContainText(teacher)
  await expect(page.getByTestId('run-teacher')).toContainText(/sha256 [0-9a-f]{12}/)
  // Its 15 validation posts are too few to calibrate on: the run's page says so, and why.
  await expect(page.getByTestId('run-confidence')).toHaveAttribute('data-calibrated', 'false')
  await expect(page.getByTestId('run-confidence')).toContainText('The run had 15 validation posts; calibrating takes 60')
  await page.screenshot({ path: testInfo.outputPath('run-onnx-teacher.png') })

  // The review, narrowed to the posts where the teacher says something else: each says what and how sure.
  await page.getByTestId('run-review').click()
  await page.getByTestId('review-scope').selectOption('all')
  await page.getByTestId('review-filter').selectOption('disagrees')
  const item = page.getByTestId('review-item')
  await expect(item).toBeVisible()
  const counts = page.getByTestId('review-counts')
  expect(Number(await counts.getAttribute('data-total'))).toBeGreaterThan(0)
  const name = `ONNX text teacher (${path.basename(teacher)})`
  const row = page.getByTestId('review-teacher')
  const said = (await row.getAttribute('data-label')) as Sentiment
  expect(said).not.toBe(await page.getByTestId('review-proposed').getAttribute('data-label'))
  // 15 labels on a 90-post import leave too few validation posts to calibrate on: the confidence says so.
  await expect(page.getByTestId('review-confidence')).toHaveAttribute('data-calibrated', 'false')
  await expect(page.getByTestId('review-confidence')).toContainText('(not calibrated)')
  await expect(page.getByTestId('review-confidence')).toHaveAttribute('title', /validation posts; calibrating takes 60/)
  // FixMatch's one head reads text and image together: one line says so, not three "not stored".
  await expect(page.getByTestId('review-one-head')).toContainText('reads the text and the image together')
  await expect(page.getByTestId('review-head-text')).toHaveCount(0)
  await expect(page.getByTestId('review-evidence')).not.toContainText('not stored')
  await expect(page.getByTestId('review-reason').first()).toHaveText(new RegExp(`^${name.replace(/[()]/g, '\\$&')} says ${said} \\(\\d\\.\\d\\d`))
  await page.screenshot({ path: testInfo.outputPath('review-teacher-reason.png') })
})
