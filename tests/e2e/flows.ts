// What a person does in the app, step by step, in terms of what they see. Shell-agnostic: the
// browser-mode specs use these, and an Electron test can drive its window with the same steps.
import { expect, type Locator, type Page } from '@playwright/test'
import type { ImportFormat } from '#shared/imports'
import { SENTIMENTS, SPLITS, type Modality, type Sentiment } from '#shared/vocabulary'
import type { ExpectedCounts, SplitCounts } from './mvsa-subset'

const IMPORT_TIMEOUT = 90_000

/** Opens the New project dialog and submits it; the caller checks what happened. */
export async function submitNewProject(page: Page, name: string, description = ''): Promise<Locator> {
  await page.getByTestId('new-project').click()
  const dialog = page.getByTestId('create-project-dialog')
  await dialog.getByTestId('project-name').fill(name)
  if (description) await dialog.getByTestId('project-description').fill(description)
  await dialog.getByTestId('create-project-submit').click()
  return dialog
}

/** Creates a project from the project list and lands in it. */
export async function createProject(page: Page, name: string, description = ''): Promise<void> {
  await submitNewProject(page, name, description)
  await expect(page.getByTestId('project-title')).toHaveText(name)
}

/** Creates each project from the project list, coming back to the list after each. */
export async function createProjects(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    await createProject(page, name)
    await page.getByTestId('back-to-projects').click()
  }
}

export type ReportFigures = Record<'found' | 'imported' | 'skipped' | 'alreadyPresent' | 'annotations' | 'conflicts' | 'problems', number>

/**
 * Imports `folder` into the open project through the Import dialog, checking that it is detected
 * as `format` before starting; returns the report's figures with the dialog still open.
 */
export async function importFolder(page: Page, folder: string, format: ImportFormat): Promise<{ figures: ReportFigures; sawProgress: boolean }> {
  await page.getByTestId('open-import').click()
  const dialog = page.getByTestId('import-dialog')
  await dialog.getByTestId('import-path').pressSequentially(folder, { delay: 5 })
  await expect(dialog.getByTestId('import-detected')).toHaveAttribute('data-format', format)
  await dialog.getByTestId('import-start').click()

  // A small import can finish between two frames: note the progress bar if it shows, then the report.
  const progress = dialog.getByTestId('import-progress')
  const report = dialog.getByTestId('import-report')
  await expect(progress.or(report)).toBeVisible()
  const sawProgress = await progress.isVisible()
  // While the progress shows, it names its phase; a fast import may reach the report first.
  if (sawProgress) {
    await expect(async () => {
      if (await report.isVisible()) return
      expect((await dialog.getByTestId('import-phase').textContent({ timeout: 1000 }))?.trim()).toBeTruthy()
    }).toPass()
  }
  await expect(report).toBeVisible({ timeout: IMPORT_TIMEOUT })

  const figure = async (testid: string): Promise<number> => toNumber(await report.getByTestId(testid).textContent())
  const figures: ReportFigures = {
    found: await figure('report-found'),
    imported: await figure('report-imported'),
    skipped: await figure('report-skipped'),
    alreadyPresent: await figure('report-alreadyPresent'),
    annotations: await figure('report-annotations'),
    conflicts: await figure('report-conflicts'),
    problems: await report.getByTestId('problem-row').count(),
  }
  return { figures, sawProgress }
}

export async function closeImportReport(page: Page): Promise<void> {
  await page.getByTestId('import-done').click()
  await expect(page.getByTestId('import-dialog')).toBeHidden()
}

/** The counts the project header shows, in the shape `expectedCounts` computes. */
export async function readStats(page: Page): Promise<ExpectedCounts> {
  const stats = page.getByTestId('project-stats')
  await expect(stats).toBeVisible()
  const cell = async (testid: string): Promise<number> => toNumber(await stats.getByTestId(testid).textContent())
  const bySplit: ExpectedCounts['bySplit'] = {}
  for (const split of SPLITS) {
    if ((await stats.getByTestId(`stats-row-${split}`).count()) === 0) continue
    const row = { unlabeled: await cell(`stats-${split}-unlabeled`), total: await cell(`stats-${split}-total`) } as SplitCounts
    for (const s of SENTIMENTS) row[s] = await cell(`stats-${split}-${s}`)
    bySplit[split] = row
  }
  const labels = {} as Record<Modality, Record<Sentiment, number>>
  for (const m of ['overall', 'text', 'image'] as const) {
    labels[m] = { positive: await cell(`stats-${m}-positive`), neutral: await cell(`stats-${m}-neutral`), negative: await cell(`stats-${m}-negative`) }
  }
  return { total: await cell('stats-total'), bySplit, labels, conflicts: await cell('stats-conflicts') }
}

/** Waits until every thumbnail inside the grid's viewport has really loaded; returns how many. */
export async function expectVisibleThumbnailsLoaded(page: Page): Promise<number> {
  const grid = page.getByTestId('post-grid')
  let visible = 0
  await expect
    .poll(
      async () => {
        const states = await grid.evaluate((el) => {
          const view = el.getBoundingClientRect()
          // tsconfig.node.json has no DOM library: name just what is read from each <img>.
          const images = Array.from(el.querySelectorAll('[data-testid="post-thumb"]')) as unknown as LoadedImage[]
          return images
            .filter((img) => {
              const r = img.getBoundingClientRect()
              return r.bottom > view.top && r.top < view.bottom
            })
            .map((img) => img.complete && img.naturalWidth > 0)
        })
        visible = states.length
        return states.length > 0 && states.every(Boolean)
      },
      { message: 'thumbnails in view have loaded' },
    )
    .toBe(true)
  return visible
}

interface LoadedImage {
  complete: boolean
  naturalWidth: number
  getBoundingClientRect(): { top: number; bottom: number }
}

/** Scrolls the grid to its end and returns the last card, once it shows a loaded post. */
export async function scrollGridToEnd(page: Page): Promise<Locator> {
  const grid = page.getByTestId('post-grid')
  const total = Number(await grid.getAttribute('data-total'))
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  const last = grid.locator(`[data-testid="post-card"][data-index="${total - 1}"]`)
  await expect(last).toBeInViewport()
  return last
}

const toNumber = (text: string | null): number => Number((text ?? '').replace(/[^\d]/g, ''))

// ---- Labeling ----

/** Sets the annotator name in the dialog the labeling view shows (on first visit, or from "Change name"). */
export async function setAnnotator(page: Page, name: string): Promise<void> {
  const dialog = page.getByTestId('annotator-dialog')
  // The view mounts with the dialog already open on a first visit: wait for the view before deciding.
  await dialog.or(page.getByTestId('annotator-change')).first().waitFor()
  if (!(await dialog.isVisible())) await page.getByTestId('annotator-change').click()
  await dialog.getByTestId('annotator-name').fill(name)
  await dialog.getByTestId('annotator-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('annotator-current')).toContainText(name)
}

/** The id of the post on screen in the labeling view. */
export async function shownPostId(page: Page): Promise<number> {
  return Number(await page.getByTestId('label-post').getAttribute('data-post-id'))
}

/**
 * Presses each key group in turn on the post on screen, waiting (as a person does) for the next
 * post to appear after a group that moves on; returns the post each group was pressed on.
 */
export async function pressOnPosts(page: Page, groups: readonly string[][]): Promise<number[]> {
  const posts: number[] = []
  for (const keys of groups) {
    const post = await shownPostId(page)
    posts.push(post)
    for (const key of keys) await page.keyboard.press(key)
    await expect(page.getByTestId('label-post')).not.toHaveAttribute('data-post-id', String(post))
  }
  return posts
}

/** Waits until every label sent has been acknowledged by the back end. */
export async function expectAllSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved')
}

export interface HistoryRow {
  modality: Modality
  label: Sentiment | 'none'
  kind: string
  annotator: string
  source: string
}

/** The history list of the post on screen, newest first. */
export async function readHistory(page: Page): Promise<HistoryRow[]> {
  return page.getByTestId('history-entry').evaluateAll((items) =>
    items.map((li) => {
      const d = (li as unknown as { dataset: Record<string, string> }).dataset
      return { modality: d.modality, label: d.label, kind: d.kind, annotator: d.annotator, source: d.source } as HistoryRow
    }),
  )
}

/** The name this browser labels and reviews under in a project (kept per project), set without the dialog. */
export async function nameForProject(page: Page, projectId: number, name: string): Promise<void> {
  await page.evaluate(([key, value]) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(key!, value!), [`common-ground.annotator.${projectId}`, name])
}

/** A new project holding the MVSA subset in `dir`, opened for labeling as `annotator`; its id. */
export async function labelingNewProject(page: Page, name: string, dir: string, annotator: string): Promise<number> {
  await page.goto('/')
  await createProject(page, name)
  expect((await importFolder(page, dir, 'mvsa')).figures.imported).toBe(200)
  await closeImportReport(page)
  const projectId = Number(await page.getByTestId('project-view').getAttribute('data-project-id'))
  await nameForProject(page, projectId, annotator)
  await page.getByTestId('nav-label').click()
  await expect(page.getByTestId('label-view')).toBeVisible()
  return projectId
}
