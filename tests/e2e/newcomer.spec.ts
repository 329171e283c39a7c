// A newcomer's first hour (issue 13), in the browser: from the projects page through an MVSA
// import, a first label key pressed before any name is set (the name dialog lists nobody, offers
// no OS account, and the label lands once a name is chosen), twenty labels that count on train
// posts (the split filter remembered), a quick run with the majority-class baseline beside its
// score, two review decisions, and an export of the labels from the project page into a folder she
// makes in its picker, which starts at the import's folder and then at the last folder used. Screenshots of every step
// at 1280×800 go to the test's output.
import { mkdir, mkdtemp, readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { closeImportReport, createProject, expectAllSaved, importFolder, pressOnPosts, shownPostId } from './flows'
import { useMvsaSubset } from './subset-fixture'

const subset = useMvsaSubset()

const LABELS = 20
const KEYS = ['1', '2', '3']
const EXTRACT_TIMEOUT = 5 * 60_000
const RUN_TIMEOUT = 8 * 60_000

const shot = (page: Page, file: string): Promise<Buffer> => page.screenshot({ path: test.info().outputPath(file) })

test('a new user: import, 20 labels that count, a run beside its baseline, review and export', async ({ page }) => {
  test.setTimeout(EXTRACT_TIMEOUT + RUN_TIMEOUT + 3 * 60_000)
  const { dir } = subset()

  // The projects page, then a new project and its import.
  await page.goto('/')
  await expect(page.getByTestId('new-project')).toBeVisible()
  // The tab's icon (resources/icons/32x32.png, built into the renderer's assets) is served.
  const icon = await page.locator('link[rel="icon"][type="image/png"]').getAttribute('href')
  const iconReply = await page.request.get(new URL(icon!, page.url()).href)
  expect(iconReply.ok()).toBe(true)
  expect(iconReply.headers()['content-type']).toBe('image/png')
  await shot(page, '01-projects.png')
  await createProject(page, `First hour ${Date.now()}`)
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures.imported).toBe(200)
  await shot(page, '02-import-report.png')
  await closeImportReport(page)

  // Labeling: the first visit asks who is labeling, with nothing filled in. Dismissed, the first
  // label key asks again and says the label waits for the name; chosen, the label lands.
  await page.getByTestId('nav-label').click()
  const nameDialog = page.getByTestId('annotator-dialog')
  await expect(nameDialog).toBeVisible()
  await expect(nameDialog.getByTestId('annotator-name')).toHaveValue('')
  await expect(nameDialog.getByTestId('annotator-choice')).toHaveCount(0) // the import's "mvsa" is nobody
  await nameDialog.getByTestId('annotator-cancel').click()
  await expect(page.getByTestId('annotator-current')).toContainText('nobody yet')

  await page.getByTestId('queue-split').selectOption('train')
  await expect(page.getByTestId('label-post')).toBeVisible()
  const first = await shownPostId(page)
  await page.keyboard.press('1')
  await expect(nameDialog).toBeVisible()
  await expect(nameDialog.getByTestId('annotator-reason')).toContainText('the label you pressed is saved under this name')
  await expect(nameDialog.getByTestId('annotator-name')).toHaveValue('') // the key did not land in the field
  await shot(page, '03-name-dialog-from-key.png')
  await nameDialog.getByTestId('annotator-name').fill('nora')
  await nameDialog.getByTestId('annotator-save').click()
  await expect(nameDialog).toBeHidden()
  await expect(page.getByTestId('annotator-current')).toContainText('nora')
  await expect(page.getByTestId('label-post')).not.toHaveAttribute('data-post-id', String(first))
  await expectAllSaved(page)

  // Nineteen more on train posts: twenty labels that count.
  const labeled = await pressOnPosts(
    page,
    Array.from({ length: LABELS - 1 }, (_, i) => [KEYS[(i + 1) % 3]!]),
  )
  expect(new Set([first, ...labeled]).size).toBe(LABELS)
  await expectAllSaved(page)
  await expect(page.getByTestId('progress-annotator').filter({ hasText: 'nora' })).toContainText(`${LABELS} overall`)
  await shot(page, '04-labeling-20.png')

  // The name is a person of this project now: the dialog lists her with her labels.
  await page.getByTestId('annotator-change').click()
  await expect(nameDialog.getByTestId('annotator-choice')).toHaveAttribute('data-name', 'nora')
  await expect(nameDialog.getByTestId('annotator-choice')).toContainText(`${LABELS} labels`)
  await nameDialog.getByTestId('annotator-choice').click()
  await expect(nameDialog).toBeHidden()

  // The queue's split filter is kept for this project: it is still "train" after a reload.
  await page.reload()
  await expect(page.getByTestId('queue-split')).toHaveValue('train')
  await expect(page.getByTestId('annotator-current')).toContainText('nora')

  // Features, then a quick run of the default method on her labels: all twenty count.
  await page.getByTestId('back-to-project').click()
  await page.getByTestId('open-features').click()
  const features = page.getByTestId('features-dialog')
  await expect(features.getByTestId('features-extract')).toBeEnabled({ timeout: 60_000 })
  // The select names the pair she will extract with: the default one (it showed nothing before).
  await expect(features.getByTestId('features-encoder')).toHaveValue(CURRENT_DEFAULT)
  await expect(features.getByTestId('features-encoder').locator('option:checked')).toContainText('(the default)')
  // The table of what is cached first (counting it loads the encoders: slow on a busy machine).
  await expect(features.getByTestId('features-status')).toBeVisible({ timeout: 60_000 })
  await features.getByTestId('features-extract').click()
  // While it runs, the table's counts say they are from before it; at its end they are counted again.
  await expect(features.getByTestId('features-status-stale')).toBeVisible()
  await expect(features.getByTestId('features-finished')).toHaveAttribute('data-outcome', 'done', { timeout: EXTRACT_TIMEOUT })
  await expect(features.getByTestId('features-status-stale')).toBeHidden()
  await expect.poll(async () => [...new Set(await features.getByTestId('features-missing').allInnerTexts())]).toEqual(['0'])
  await features.getByTestId('features-dialog-close').click()

  await page.getByTestId('nav-train').click()
  await page.getByTestId('open-launch').click()
  const launch = page.getByTestId('launch-dialog')
  await launch.getByTestId('launch-preset').selectOption('quick')
  await launch.getByTestId('launch-labels-current').check()
  await expect(launch.getByTestId('launch-uses')).toHaveAttribute('data-total', String(LABELS))
  await expect(launch.getByTestId('launch-uses').getByTestId('launch-uses-human')).toHaveAttribute('data-value', String(LABELS))
  // The import's own labels are named as not counted, and why; none of hers is among them.
  await expect(launch.getByTestId('launch-not-counted')).toContainText('imported')
  await expect(launch.getByTestId('launch-not-counted')).not.toContainText('conflict')
  await shot(page, '05-launch.png')
  await launch.getByTestId('launch-start').click()
  const monitor = page.getByTestId('run-monitor')
  await expect(monitor).toHaveAttribute('data-status', /done|failed|cancelled/, { timeout: RUN_TIMEOUT })
  await expect(monitor).toHaveAttribute('data-status', 'done')

  // Its test score, with the majority class beside it.
  const scores = page.getByTestId('run-scores')
  await expect(scores).toBeVisible()
  const accuracy = Number(await scores.getByTestId('score-accuracy').getAttribute('data-value'))
  expect(accuracy).toBeGreaterThan(0)
  const majority = page.getByTestId('run-baselines').getByTestId('run-baseline-majority')
  // The majority class of the train pool by the run's class prior (MVSA leans positive), not of her
  // balanced labels (7 / 7 / 6), which would make "always neutral" the bar.
  await expect(majority).toContainText('Always “positive”')
  const majorityAccuracy = Number(await majority.getAttribute('data-accuracy'))
  expect(majorityAccuracy).toBeGreaterThan(0)
  // Below the baseline, the warning says so; above it, there is none.
  await expect(page.getByTestId('run-baseline-warning')).toHaveCount(accuracy <= majorityAccuracy ? 1 : 0)
  await scores.scrollIntoViewIfNeeded()
  await shot(page, '06-run-with-baseline.png')
  // The default method's curves start again at each round: the charts mark the rounds and the step
  // the run kept, and say what the marks are.
  const marks = page.getByTestId('run-chart-marks')
  await expect(marks).toContainText('self-training rounds 1–')
  expect(Number(await marks.getAttribute('data-rounds'))).toBeGreaterThan(0)
  await expect(marks).toHaveAttribute('data-kept', /^\d+$/)
  await expect(marks).toContainText(`Solid line: step ${Number(await marks.getAttribute('data-kept')).toLocaleString('en-US')}, whose weights the run kept.`)
  await marks.scrollIntoViewIfNeeded()
  await shot(page, '06b-run-charts-marked.png')

  // Review: two pseudo-labels accepted, under her name without asking again.
  await page.getByTestId('run-review').click()
  await page.getByTestId('review-scope').selectOption('all')
  const item = page.getByTestId('review-item')
  await expect(item).toBeVisible()
  for (let i = 0; i < 2; i++) {
    const post = await item.getAttribute('data-post-id')
    await page.keyboard.press('a')
    await expect(item).not.toHaveAttribute('data-post-id', post!)
  }
  await expect(page.getByTestId('review-save-status')).toHaveAttribute('data-state', 'saved')
  await expect(nameDialog).toBeHidden()
  await shot(page, '07-review.png')

  // Export from the project page: Browse opens at the folder the project was imported from.
  await page.getByTestId('nav-project').click()
  await page.getByTestId('open-export').click()
  const exportDialog = page.getByTestId('export-dialog')
  await expect(exportDialog).toContainText('Export labels')
  await expect(exportDialog.getByTestId('export-model')).toHaveCount(0)
  await exportDialog.getByTestId('export-browse').click()
  const browser = page.getByTestId('folder-browser')
  await expect(browser.getByTestId('folder-current')).toHaveText(await realpath(dir))
  await shot(page, '08-picker-at-import-folder.png')
  await browser.getByTestId('folder-cancel').click()

  // She exports into a folder of her own, which she makes in the picker; a name taken is refused there.
  const parent = await mkdtemp(path.join(path.dirname(dir), 'common-ground-export-'))
  await mkdir(path.join(parent, 'taken'))
  const out = path.join(await realpath(parent), 'labels for Ana')
  await exportDialog.getByTestId('export-browse').click()
  await expect(browser).toContainText('Choose the folder to write into')
  await browser.getByTestId('folder-up').click()
  await browser.locator(`[data-testid="folder-entry"][data-name="${path.basename(parent)}"]`).click()
  await browser.getByTestId('folder-new').click()
  await browser.getByTestId('folder-new-name').fill('taken')
  await browser.getByTestId('folder-new-name').press('Enter')
  await expect(browser.getByTestId('folder-browser-error')).toContainText('"taken" already exists')
  await browser.getByTestId('folder-new-name').fill(path.basename(out))
  await shot(page, '09a-new-folder.png')
  await browser.getByTestId('folder-new-create').click()
  await expect(browser.getByTestId('folder-current')).toHaveText(out)
  await expect(browser.getByTestId('folder-new-form')).toBeHidden()
  await expect(browser.getByTestId('folder-browser-error')).toBeHidden()
  await browser.getByTestId('folder-pick').click()
  await expect(exportDialog.getByTestId('export-path')).toHaveValue(out)
  await exportDialog.getByTestId('export-csv').check()
  await exportDialog.getByTestId('export-start').click()
  await expect(exportDialog.getByTestId('export-done')).toContainText('Wrote 200 posts')
  await shot(page, '09-export-done.png')
  await exportDialog.getByTestId('export-close').click()

  // The file: every post, her twenty labels (two accepted pseudo-labels besides) as they are now.
  const rows = parse(await readFile(path.join(out, `project-${projectId}-labels.csv`), 'utf8'), { columns: true }) as Array<Record<string, string>>
  expect(Object.keys(rows[0]!)).toEqual(['id', 'text', 'image', 'image_root', 'split', 'label', 'text_label', 'image_label', 'label_source', 'conflict'])
  expect(rows).toHaveLength(200)
  const hers = rows.filter((r) => r.label_source === 'human')
  expect(hers).toHaveLength(LABELS)
  expect(new Set(hers.map((r) => r.split))).toEqual(new Set(['train']))

  // The next export of this project is ready to write to the last folder used, and its picker starts there.
  await page.getByTestId('open-export').click()
  await expect(exportDialog.getByTestId('export-path')).toHaveValue(out)
  await exportDialog.getByTestId('export-browse').click()
  await expect(browser.getByTestId('folder-current')).toHaveText(out)
})
