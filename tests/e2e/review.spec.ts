// The loop a person closes, in the browser: label 30 posts with keys, extract features, train a
// short SCDR run and watch it move, review its pseudo-labels (accept 5, correct 3, reject 2, with
// an undo on the way), train again on "my labels" — which are now 30 + 8 — and compare the two
// runs, then predict with the second run (a cancelled predict first; grid chips, CSV), and delete the
// first run while another process holds the write lock. Screenshots of the Train, Runs, Review
// and Predict views at 1280×800 go to the test's output.
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'
import { closeImportReport, createProject, expectAllSaved, importFolder, pressOnPosts, setAnnotator } from './flows'
import { useMvsaSubset } from './subset-fixture'
import { api } from './api'
import { holdWriteLock } from '../unit/support/lock-holder'

const subset = useMvsaSubset({ train: 240, val: 30, test: 30 })

const LABELED = 30
const KEYS = ['1', '2', '3']
const EXTRACT_TIMEOUT = 5 * 60_000
const RUN_TIMEOUT = 8 * 60_000

const number = async (locator: Locator, attribute: string): Promise<number> => Number(await locator.getAttribute(attribute))

type LabelsUsed = { total: number; human: number; correction: number; pseudoAccepted: number }

/** Opens the Train view's launch dialog for a quick SCDR run on the project's own labels, and checks the labels it says it will use. */
async function openLaunch(page: Page, expected: LabelsUsed): Promise<Locator> {
  await page.getByTestId('open-launch').click()
  const dialog = page.getByTestId('launch-dialog')
  await dialog.getByTestId('launch-method').selectOption('scdr')
  await dialog.getByTestId('launch-preset').selectOption('quick')
  await dialog.getByTestId('launch-labels-current').check()
  const uses = dialog.getByTestId('launch-uses')
  await expect(uses).toHaveAttribute('data-total', String(expected.total))
  await expect(uses.getByTestId('launch-uses-human')).toHaveAttribute('data-value', String(expected.human))
  await expect(uses.getByTestId('launch-uses-correction')).toHaveAttribute('data-value', String(expected.correction))
  await expect(uses.getByTestId('launch-uses-pseudoAccepted')).toHaveAttribute('data-value', String(expected.pseudoAccepted))
  return dialog
}

/** Starts a run from the Train view's launch dialog with the project's own labels; returns the labels it says it will use. */
async function launch(page: Page, expected: LabelsUsed, teacherRun?: number, shot?: string): Promise<number> {
  const dialog = await openLaunch(page, expected)
  if (shot) {
    // Text-guided fusion (issue 14) needs the image regions: disabled with the reason until they are
    // extracted from here; then it can be chosen with its settings. This run stays with concatenation.
    const fusion = dialog.getByTestId('launch-fusion')
    await expect(fusion.getByTestId('launch-fusion-reason')).toContainText('extract region features first')
    await expect(fusion.locator('option[value="text-guided"]')).toBeDisabled()
    await fusion.getByTestId('launch-fusion-extract').click()
    await expect(fusion.getByTestId('launch-fusion-reason')).toHaveCount(0, { timeout: EXTRACT_TIMEOUT })
    await fusion.getByTestId('launch-fusion-choice').selectOption('text-guided')
    await expect(fusion.getByTestId('launch-tgf-heads')).toHaveValue('4')
    await expect(dialog.getByTestId('launch-start')).toBeEnabled()
    await page.screenshot({ path: shot })
    await fusion.getByTestId('launch-fusion-choice').selectOption('concat')
  }
  if (teacherRun !== undefined) {
    // A finished run teaches this one (distillation teacher, issue 14); unfiltered, as 30 labels make a timid model.
    const teacher = dialog.getByTestId('launch-teacher')
    await teacher.getByTestId('launch-teacher-source').selectOption('run')
    await teacher.getByTestId('launch-teacher-run').fill(String(teacherRun))
    await teacher.getByTestId('launch-teacher-filter').selectOption('off')
  }
  await expect(dialog.getByTestId('launch-start')).toBeEnabled()
  await dialog.getByTestId('launch-start').click()
  await expect(dialog).toBeHidden()
  const monitor = page.getByTestId('run-monitor')
  await expect(monitor).toBeVisible()
  return number(monitor, 'data-run-id')
}

/** Waits for the run on screen to finish, and checks it did. */
async function waitDone(page: Page): Promise<void> {
  await expect(page.getByTestId('run-monitor')).toHaveAttribute('data-status', /done|failed|cancelled/, { timeout: RUN_TIMEOUT })
  await expect(page.getByTestId('run-error')).toHaveCount(0)
  await expect(page.getByTestId('run-monitor')).toHaveAttribute('data-status', 'done')
}

/** The Train view's progress bar, in percent. */
const percentDone = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('run-progress').getByRole('progressbar').getAttribute('aria-valuenow')) ?? 0)

/** Presses a key on the item under review and waits for the queue to move on. */
async function decideWithKey(page: Page, key: string): Promise<number> {
  const item = page.getByTestId('review-item')
  const post = await number(item, 'data-post-id')
  await page.keyboard.press(key)
  await expect(item).not.toHaveAttribute('data-post-id', String(post))
  return post
}

/**
 * Moves on (↓) to the next item whose proposal differs from the label its post carries: an accept
 * that agrees with the post's own label writes nothing, so it would not become an accepted label.
 */
async function toReplacing(page: Page): Promise<void> {
  const item = page.getByTestId('review-item')
  for (let skipped = 0; skipped < 50; skipped++) {
    const proposed = await page.getByTestId('review-proposed').getAttribute('data-label')
    if ((await page.getByTestId('review-existing').getAttribute('data-label')) !== proposed) return
    const post = await number(item, 'data-post-id')
    await page.keyboard.press('ArrowDown')
    await expect(item).not.toHaveAttribute('data-post-id', String(post))
  }
  throw new Error('50 proposals in a row agree with their posts’ labels')
}

test('train, review pseudo-labels, and train again on the corrected labels', async ({ page }, testInfo) => {
  test.setTimeout(2 * EXTRACT_TIMEOUT + 2 * RUN_TIMEOUT)
  const { dir } = subset()
  const refused: string[] = []
  /** Errors a view threw (Vue logs them on the console): none is expected anywhere in the loop. */
  const thrown: string[] = []
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) refused.push(message.text())
    else if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) thrown.push(message.text())
  })
  page.on('pageerror', (err) => thrown.push(err.message))

  await page.goto('/')
  await createProject(page, `Review loop ${Date.now()}`)
  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures.imported).toBe(300)
  await closeImportReport(page)

  // Thirty train posts, one key each: ten of every class (over the imported labels: they become hers).
  await page.getByTestId('nav-label').click()
  await setAnnotator(page, 'rita')
  await page.getByTestId('queue-split').selectOption('train')
  await expect(page.getByTestId('label-post')).toBeVisible()
  const labeled = await pressOnPosts(
    page,
    Array.from({ length: LABELED }, (_, i) => [KEYS[i % 3]!]),
  )
  expect(new Set(labeled).size).toBe(LABELED)
  await expectAllSaved(page)

  // Features for every post, through the Features dialog.
  await page.getByTestId('back-to-project').click()
  await page.getByTestId('open-features').click()
  const features = page.getByTestId('features-dialog')
  await expect(features.getByTestId('features-extract')).toBeEnabled({ timeout: 60_000 })
  await features.getByTestId('features-extract').click()
  await expect(features.getByTestId('features-finished')).toHaveAttribute('data-outcome', 'done', { timeout: EXTRACT_TIMEOUT })
  await features.getByTestId('features-dialog-close').click()

  // A short SCDR run on my 30 labels; the progress bar moves while it trains.
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-view')).toBeVisible()
  const firstRun = await launch(page, { total: LABELED, human: LABELED, correction: 0, pseudoAccepted: 0 }, undefined, testInfo.outputPath('launch-fusion.png'))
  await expect.poll(() => percentDone(page), { timeout: RUN_TIMEOUT }).toBeGreaterThan(0)
  const early = await percentDone(page)
  await expect.poll(() => percentDone(page), { timeout: RUN_TIMEOUT }).toBeGreaterThan(early)
  await expect(page.getByTestId('run-eta')).toContainText('left')
  await expect(page.getByTestId('run-backend')).not.toContainText('not chosen yet')
  await expect(page.getByTestId('chart-losses')).toHaveAttribute('data-series', /[1-9]/)
  await expect.poll(() => percentDone(page), { timeout: RUN_TIMEOUT }).toBeGreaterThanOrEqual(30)
  await page.screenshot({ path: testInfo.outputPath('train-view.png') })
  await waitDone(page)
  await expect(page.getByTestId('chart-accuracy')).toHaveAttribute('data-series', /[1-9]/)
  await page.screenshot({ path: testInfo.outputPath('train-view-done.png') })

  // The loss chart reads the values under the cursor, zooms into the steps dragged across, and a
  // double-click shows them all again; nothing it does is refused by the CSP.
  const losses = page.getByTestId('chart-losses')
  const plot = (await losses.locator('.u-over').boundingBox())!
  await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2)
  await expect(losses.getByTestId('chart-reading')).toHaveText(/^step \d+/)
  await page.mouse.down()
  await page.mouse.move(plot.x + plot.width * 0.7, plot.y + plot.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(losses).toHaveAttribute('data-zoomed', 'true')
  await page.screenshot({ path: testInfo.outputPath('train-view-zoomed.png') })
  await page.mouse.dblclick(plot.x + plot.width / 2, plot.y + plot.height / 2)
  await expect(losses).toHaveAttribute('data-zoomed', 'false')
  expect(refused).toEqual([])

  // The review queue of that run: accept 5 (each replacing the post's imported label), correct 3 (each
  // to a class other than proposed and than the post's label), reject 2.
  await page.getByTestId('run-review').click()
  const review = page.getByTestId('review-view')
  await expect(review).toHaveAttribute('data-run-id', String(firstRun))
  const counts = page.getByTestId('review-counts')
  // Every MVSA train post carries an imported label: the queue shows them only when asked.
  await page.getByTestId('review-scope').selectOption('all')
  await expect(page.getByTestId('review-item')).toBeVisible()
  const pendingBefore = await number(counts, 'data-pending')
  expect(pendingBefore).toBeGreaterThanOrEqual(10)
  await expect(page.getByTestId('review-reason').first()).toBeVisible()
  await expect(page.getByTestId('review-head-text')).toHaveAttribute('data-label', /positive|neutral|negative/)

  const accepted: number[] = []
  for (let i = 0; i < 5; i++) {
    await toReplacing(page)
    accepted.push(await decideWithKey(page, 'a'))
  }
  const corrected: { post: number; label: Sentiment }[] = []
  for (let i = 0; i < 3; i++) {
    const proposed = (await page.getByTestId('review-proposed').getAttribute('data-label')) as Sentiment
    const own = await page.getByTestId('review-existing').getAttribute('data-label')
    const label = SENTIMENTS.find((s) => s !== proposed && s !== own)!
    corrected.push({ post: await decideWithKey(page, String(SENTIMENTS.indexOf(label) + 1)), label })
  }
  const rejected = [await decideWithKey(page, 'r'), await decideWithKey(page, 'r')]
  await expect(page.getByTestId('review-save-status')).toHaveAttribute('data-state', 'saved')
  await expect(counts).toHaveAttribute('data-pending', String(pendingBefore - 10))

  // Ctrl+Z takes back the last rejection and shows that item again; R rejects it once more.
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('review-item')).toHaveAttribute('data-post-id', String(rejected[1]))
  await expect(page.getByTestId('review-item')).toHaveAttribute('data-decision', 'pending')
  await expect(counts).toHaveAttribute('data-pending', String(pendingBefore - 9))
  await decideWithKey(page, 'r')
  await expect(page.getByTestId('review-save-status')).toHaveAttribute('data-state', 'saved')
  await expect(counts).toHaveAttribute('data-pending', String(pendingBefore - 10))

  // The decisions are stored: the queue, fetched again, shows each one.
  await page.reload()
  const decisionOf = (post: number): Locator => page.locator(`[data-testid="review-queue-item"][data-post-id="${post}"]`)
  for (const post of accepted) await expect(decisionOf(post)).toHaveAttribute('data-decision', 'accepted')
  for (const { post } of corrected) await expect(decisionOf(post)).toHaveAttribute('data-decision', 'corrected')
  for (const post of rejected) await expect(decisionOf(post)).toHaveAttribute('data-decision', 'rejected')
  await decisionOf(corrected[0]!.post).click()
  await expect(page.getByTestId('review-decision')).toHaveText(`corrected as ${corrected[0]!.label}`)
  await page.screenshot({ path: testInfo.outputPath('review-view.png') })

  // The next run on my labels: 30 of mine, 3 corrections and 5 accepted pseudo-labels.
  await page.getByTestId('nav-train').click()
  const secondRun = await launch(page, { total: LABELED + 8, human: LABELED, correction: 3, pseudoAccepted: 5 }, firstRun)
  expect(secondRun).not.toBe(firstRun)
  // Stopped past its first checkpoint, it resumes from there and finishes.
  await expect.poll(() => percentDone(page), { timeout: RUN_TIMEOUT }).toBeGreaterThanOrEqual(60)
  await page.getByTestId('run-stop').click()
  const monitor = page.getByTestId('run-monitor')
  await expect(monitor).toHaveAttribute('data-status', 'cancelled')
  await expect(page.getByTestId('run-resume')).toContainText('Resume from step')
  // The Runs table offers it too: its row leads back to the run, where it resumes.
  await page.getByTestId('nav-runs').click()
  const stoppedRow = page.locator(`[data-testid="run-row"][data-run-id="${secondRun}"]`)
  await expect(stoppedRow).toHaveAttribute('data-status', 'cancelled')
  await expect(stoppedRow.getByTestId('run-row-review')).toHaveCount(0)
  await stoppedRow.getByTestId('run-row-resume').click()
  await expect(monitor).toHaveAttribute('data-run-id', String(secondRun))
  await expect(page.getByTestId('run-resume')).toContainText('Resume from step')
  // The stopped run's curves are kept with it: shown again after a reload, and while it resumes.
  await page.reload()
  await expect(monitor).toHaveAttribute('data-run-id', String(secondRun))
  await expect(losses).toHaveAttribute('data-series', /[1-9]/)
  await page.getByTestId('run-resume').click()
  await expect(monitor).toHaveAttribute('data-status', /queued|running/)
  await expect(losses).toHaveAttribute('data-series', /[1-9]/)
  await waitDone(page)
  expect(thrown).toEqual([])
  await expect(page.getByTestId('run-labels')).toHaveAttribute('data-total', String(LABELED + 8))
  // What its teacher (the first run) labeled, and how well, is part of the run's details.
  await expect(page.getByTestId('run-teacher')).toHaveAttribute('data-source', 'run')
  await expect(page.getByTestId('run-teacher')).toContainText(`run #${firstRun}`)
  await page.screenshot({ path: testInfo.outputPath('train-view-taught.png') })

  // The Runs view: both runs, side by side.
  await page.getByTestId('nav-runs').click()
  const rows = page.getByTestId('run-row')
  await expect(rows).toHaveCount(2)
  for (const runId of [firstRun, secondRun]) await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getByTestId('run-compare-toggle').check()
  const compare = page.getByTestId('run-compare')
  await expect(compare).toHaveAttribute('data-a', String(firstRun))
  await expect(compare).toHaveAttribute('data-b', String(secondRun))
  await expect(compare.getByTestId('compare-row-Labels used')).toContainText(`${LABELED}`)
  await expect(compare.getByTestId('compare-row-Labels used')).toContainText(`${LABELED + 8}`)
  for (const runId of [firstRun, secondRun]) await expect(compare.getByTestId(`compare-confusion-${runId}`).getByTestId('heatmap-cell')).toHaveCount(9)
  // Both matrices count the same labeled test posts, each once.
  const posts = async (runId: number): Promise<number> =>
    (
      await compare
        .getByTestId(`compare-confusion-${runId}`)
        .getByTestId('heatmap-cell')
        .evaluateAll((els) => els.map((el) => Number((el as unknown as { dataset: Record<string, string> }).dataset.value)))
    ).reduce((a, b) => a + b, 0)
  const tested = await posts(firstRun)
  expect(tested).toBeGreaterThan(0)
  expect(tested).toBeLessThanOrEqual(30)
  expect(await posts(secondRun)).toBe(tested)
  await compare.scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('runs-view.png') })

  // Predict with the second run: every post of the project gets a prediction, the grid shows it
  // beside the people's labels, and the set goes out as CSV.
  await page.getByTestId('nav-project').click()
  await page.getByTestId('open-predict').click()
  const predict = page.getByTestId('predict-dialog')
  await predict.getByTestId('predict-run').selectOption(String(secondRun))
  // A predict shows its progress and can be cancelled (the model process takes a moment to start):
  // cancelled, it says so and stores nothing.
  // Cancel is offered once the back end has taken the predict, and clicked in the frame it is: the
  // model process's start (~0.5 s) is the window, wider than Playwright's polling would leave.
  // (In the page's own words: this project's type-check knows no DOM.)
  await page.evaluate(`(async () => {
    const dialog = document.querySelector('[data-testid="predict-dialog"]')
    dialog.querySelector('[data-testid="predict-start"]').click()
    const cancel = () => dialog.querySelector('[data-testid="predict-cancel"]:not(:disabled)')
    const started = performance.now()
    while (!cancel() && performance.now() - started < 30000) await new Promise(requestAnimationFrame)
    cancel()?.click()
  })()`)
  await expect(predict.getByTestId('predict-progress')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('predict-progress.png') })
  await expect(predict.getByTestId('predict-cancelled')).toContainText('nothing of it was stored', { timeout: 30_000 })
  await expect(predict.getByTestId('predict-result')).toHaveCount(0)
  await expect(predict.getByTestId('predict-error')).toHaveCount(0)
  await predict.getByTestId('predict-start').click()
  await expect(predict.getByTestId('predict-summary')).toContainText('Predicted 300 posts', { timeout: 60_000 })
  const out = await mkdtemp(path.join(tmpdir(), 'common-ground-predict-'))
  await predict.getByTestId('predict-export-path').fill(out)
  await predict.getByTestId('predict-export-start').click()
  await expect(predict.getByTestId('predict-export-done')).toContainText('Wrote 300 predictions')
  const csv = (await readFile(path.join(out, `predictions-${await predict.getByTestId('predict-result').getAttribute('data-set-id')}.csv`), 'utf8')).trim().split('\n')
  expect(csv[0]).toBe('id,split,prediction,confidence,p_negative,p_neutral,p_positive,label')
  expect(csv).toHaveLength(301)
  await page.screenshot({ path: testInfo.outputPath('predict-dialog.png') })
  await predict.getByTestId('predict-close').click()
  const chips = page.getByTestId('post-card').first().getByTestId('post-prediction')
  await expect(chips).toHaveAttribute('data-label', /negative|neutral|positive/)
  // The post opened from its card shows the same prediction.
  await page.getByTestId('post-card').first().click()
  await expect(page.getByTestId('post-detail').getByTestId('post-prediction')).toHaveAttribute('data-label', (await chips.getAttribute('data-label'))!)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('post-detail')).toHaveCount(0)
  await page.screenshot({ path: testInfo.outputPath('grid-with-predictions.png') })
  // The grid filtered by those predictions: the labeled posts the model disagrees with, then the
  // posts it calls positive; the count is the back end's for the same filter.
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  const cards = page.getByTestId('post-card')
  for (const predicted of ['disagrees', 'positive'] as const) {
    const { total } = await api(page, 'posts.page', { projectId, offset: 0, limit: 1, predicted })
    expect(total).toBeGreaterThan(0)
    await page.getByTestId('filter-predicted').selectOption(predicted)
    await expect(page.getByTestId('grid-count')).toHaveText(total === 1 ? '1 post' : `${total} posts`)
    const shown = Math.min(total, 4)
    await expect(cards).not.toHaveCount(0)
    for (let i = 0; i < shown; i++) {
      const label = await cards.nth(i).getByTestId('label-overall').getAttribute('data-label')
      const prediction = await cards.nth(i).getByTestId('post-prediction').getAttribute('data-label')
      if (predicted === 'positive') expect(prediction).toBe('positive')
      else expect([label !== 'none', label !== prediction]).toEqual([true, true])
    }
    if (predicted === 'disagrees') await page.screenshot({ path: testInfo.outputPath('grid-disagrees.png') })
  }
  await page.getByTestId('filter-predicted').selectOption('')
  await expect(page.getByTestId('grid-count')).toHaveText('300 posts')

  // Deleting the reviewed first run while another process holds the store's write lock (as a large
  // import does): its row says "Deleting…" until the lock is free, then it goes; the labels accepted
  // and corrected from it stay, and the next run would still learn from them.
  await page.getByTestId('nav-runs').click()
  const firstRow = page.locator(`[data-testid="run-row"][data-run-id="${firstRun}"]`)
  await firstRow.getByTestId('run-row-delete').click()
  const holder = await holdWriteLock((await api(page, 'app.info', undefined)).dbPath, 2000)
  await page.getByTestId('confirm-dialog').getByTestId('confirm-accept').click()
  await expect(firstRow.getByTestId('run-row-delete')).toHaveText('Deleting…')
  await expect(firstRow.getByTestId('run-row-delete')).toBeDisabled()
  // Nor is it reviewed or exported meanwhile.
  await expect(firstRow.getByTestId('run-row-review')).toBeDisabled()
  await expect(firstRow.getByTestId('run-row-export')).toBeDisabled()
  await page.screenshot({ path: testInfo.outputPath('run-deleting.png') })
  expect(await holder.exited).toBe(0)
  await expect(firstRow).toHaveCount(0)
  await expect(rows).toHaveCount(1)
  await expect(page.getByTestId('runs-error')).toHaveCount(0)
  await page.getByTestId('nav-train').click()
  const relaunch = await openLaunch(page, { total: LABELED + 8, human: LABELED, correction: 3, pseudoAccepted: 5 })
  await relaunch.getByTestId('launch-cancel').click()
  await expect(relaunch).toBeHidden()

  // In a narrower window each view's header wraps its actions to a line below: the page does not
  // scroll sideways, and the way back to the project and the view's name stay readable. Nor does it
  // scroll down: a view's columns scroll inside themselves, under a header that stays.
  // 720×480 is the desktop window's least size (electron/main-window.ts).
  for (const [width, height] of [[1024, 700], [720, 480]] as const) {
    await page.setViewportSize({ width, height })
    for (const view of ['project', 'label', 'agreement', 'train', 'runs', 'review']) {
      await page.getByTestId(`nav-${view}`).click()
      await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page')
      expect(await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]')).toEqual([width, height])
      const back = view === 'project' ? page.getByTestId('back-to-projects') : page.getByTestId('back-to-project')
      const [backBox, navBox] = [await back.boundingBox(), await page.getByTestId(`nav-${view}`).boundingBox()]
      expect(backBox!.width).toBeGreaterThan(0)
      // Beside the tabs, or above them where a long name takes the line.
      expect(backBox!.x + backBox!.width <= navBox!.x || backBox!.y + backBox!.height <= navBox!.y).toBe(true)
    }
    await page.screenshot({ path: testInfo.outputPath(`review-${width}.png`) })
  }
  // The labeling view at that size: each label button's words fit inside it.
  await page.getByTestId('nav-label').click()
  const buttons = page.getByTestId('label-panel').locator('button')
  await expect(buttons.first()).toBeVisible()
  const overflowing = await buttons.evaluateAll((els) =>
    els.filter((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (el as unknown as { clientWidth: number }).clientWidth + 1).length,
  )
  expect(overflowing).toBe(0)
  await page.screenshot({ path: testInfo.outputPath('label-720.png') })
})
