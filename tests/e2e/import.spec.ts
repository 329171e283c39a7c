import { copyFile, mkdtemp, readdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api } from './api'
import { closeImportReport, createProject, expectVisibleThumbnailsLoaded, importFolder, labelingNewProject, readStats, scrollGridToEnd, setAnnotator } from './flows'
import { holdWriteLock } from '../unit/support/lock-holder'
import { expectedCounts } from './mvsa-subset'
import { useMvsaSubset } from './subset-fixture'

const subset = useMvsaSubset()

test('a person imports an MVSA subset and sees its posts and counts', async ({ page }, testInfo) => {
  const { dir, ids } = subset()
  const expected = await expectedCounts(dir)
  expect(expected.total).toBe(200)

  await page.goto('/')
  const name = `MVSA subset ${Date.now()}`
  await createProject(page, name, '200 posts of MVSA-Single, every split')

  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures).toMatchObject({ found: 200, imported: 200, skipped: 0, alreadyPresent: 0, problems: 0, conflicts: expected.conflicts })
  // At least a text and an image label per post.
  expect(figures.annotations).toBeGreaterThanOrEqual(400)
  await closeImportReport(page)

  await expect(page.getByTestId('grid-count')).toHaveText('200 posts')
  expect(await expectVisibleThumbnailsLoaded(page)).toBeGreaterThan(0)
  expect(await readStats(page)).toEqual(expected)

  const last = await scrollGridToEnd(page)
  expect(ids).toContain(await last.getAttribute('data-external-id'))
  await expectVisibleThumbnailsLoaded(page)

  // The place survives a reload (hash routing).
  await page.reload()
  await expect(page.getByTestId('project-title')).toHaveText(name)
  await expectVisibleThumbnailsLoaded(page)
  await page.screenshot({ path: testInfo.outputPath('project-after-import.png') })

  // Searched: a word of some posts' text (typed in another case), then a post's id.
  const projectId = Number(/projects\/(\d+)/.exec(page.url())![1])
  const { rows } = await api(page, 'posts.page', { projectId, offset: 0, limit: 200 })
  const word = rows.flatMap((r) => r.text.split(/\s+/)).find((w) => /^[a-z]{5,}$/i.test(w))!
  const { total } = await api(page, 'posts.page', { projectId, offset: 0, limit: 1, search: word })
  expect(total).toBeGreaterThan(0)
  expect(total).toBeLessThan(200)
  const search = page.getByTestId('filter-search')
  await search.fill(word.toUpperCase())
  await expect(page.getByTestId('grid-count')).toHaveText(total === 1 ? '1 post' : `${total} posts`)
  for (const text of await page.getByTestId('post-text').allInnerTexts()) expect(text.toLowerCase()).toContain(word.toLowerCase())
  await page.screenshot({ path: testInfo.outputPath('grid-searched.png') })
  const one = rows[137]!.externalId
  await search.fill(one)
  await search.press('Enter')
  await expect(page.locator(`[data-testid="post-card"][data-external-id="${one}"]`)).toHaveCount(1)
  await expect(page.getByTestId('grid-count')).toHaveText('1 post')
  await search.fill('')
  await expect(page.getByTestId('grid-count')).toHaveText('200 posts')

  // An image moved away after the import: where it would be, its post says so in words, in the
  // post's detail and in the labeling view, not with a broken-image icon. (Moved back after, for
  // the next test's import of the same folder.)
  const gone = rows[150]!
  const image = path.join(dir, 'data', `${gone.externalId}.jpg`)
  await rename(image, `${image}.moved`)
  try {
    await search.fill(gone.externalId)
    await search.press('Enter')
    await page.locator(`[data-testid="post-card"][data-external-id="${gone.externalId}"]`).click()
    const missing = page.getByTestId('post-detail').getByTestId('image-missing')
    await expect(missing).toContainText('Image not found')
    await expect(missing).toContainText('moved or deleted since the import')
    await expect(missing).toHaveAccessibleName(`Image of post ${gone.externalId}: not found`)
    await expect(page.getByTestId('post-detail').locator('img')).toHaveCount(0)
    await page.screenshot({ path: testInfo.outputPath('image-missing-detail.png') })
    await page.getByTestId('post-detail-label').click()
    await setAnnotator(page, 'mover')
    await expect(page.getByTestId('label-post')).toHaveAttribute('data-external-id', gone.externalId)
    await expect(page.getByRole('region', { name: 'The post' }).getByTestId('image-missing')).toContainText('Image not found')
    await page.screenshot({ path: testInfo.outputPath('image-missing-labeling.png') })
  } finally {
    await rename(`${image}.moved`, image)
  }
})

test('a label saved while another import is being written says it waits for that import, and is saved once it is', async ({ page }, testInfo) => {
  const { dir } = subset()
  await labelingNewProject(page, `Labels during an import ${Date.now()}`, dir, 'alice')

  // Another project gets a small CSV while another process holds the store's write lock (as a
  // trainer saving its results does): the import's transaction waits for it, holding the writing phase.
  const target = await api(page, 'projects.create', { name: `Import target ${Date.now()}`, description: '' })
  const csvDir = await mkdtemp(path.join(process.env.CG_E2E_DIR!, 'csv-'))
  await copyFile(path.join(dir, 'data', `${(await readdir(path.join(dir, 'data'))).find((f) => f.endsWith('.jpg'))}`), path.join(csvDir, 'one.jpg'))
  await writeFile(path.join(csvDir, 'posts.csv'), 'id,text,image\nw1,first,one.jpg\nw2,second,one.jpg\nw3,third,one.jpg\n')
  const { dbPath } = await api(page, 'app.info', undefined)
  // The page hears the back end's events as its client does; here, for the test, whether the import has begun writing.
  await page.evaluate(
    () =>
      new Promise<void>((opened) => {
        const socket = new WebSocket(`${(globalThis as unknown as { location: { origin: string } }).location.origin.replace(/^http/, 'ws')}/events`)
        const seen = globalThis as unknown as { importWriting: Promise<void> }
        seen.importWriting = new Promise<void>((writing) => {
          socket.onmessage = (message) => {
            const frame = JSON.parse(String(message.data)) as { event: string; payload: { phase?: string } }
            if (frame.event === 'imports.progress' && frame.payload.phase === 'writing') writing()
          }
        })
        socket.onopen = () => opened()
      }),
  )
  const holder = await holdWriteLock(dbPath, 10_000)
  await api(page, 'imports.start', { projectId: target.id, path: path.join(csvDir, 'posts.csv') })
  await page.evaluate(() => (globalThis as unknown as { importWriting: Promise<void> }).importWriting)

  await page.keyboard.press('1')
  const status = page.getByTestId('save-status')
  await expect(status).toHaveAttribute('data-state', 'saving')
  await expect(status).toContainText('Saving after an import is written (0 of 3 posts)… post')
  await page.screenshot({ path: testInfo.outputPath('label-waits-for-import.png') })

  // The holder lets go: the label is saved and the import lands (which takes the lock first is a race).
  expect(await holder.exited).toBe(0)
  await expect(status).toHaveAttribute('data-state', 'saved', { timeout: 20_000 })
  await expect(status).not.toContainText('import')
  await expect.poll(async () => (await api(page, 'projects.stats', { projectId: target.id })).total, { timeout: 20_000 }).toBe(3)
})
