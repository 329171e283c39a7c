import { expect, test } from '@playwright/test'
import { closeImportReport, createProject, expectVisibleThumbnailsLoaded, importFolder, readStats, scrollGridToEnd } from './flows'
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
})
