import { expect, test, type APIRequestContext } from '@playwright/test'
import { CHROMIUM_MISSING_REASON, hasChromium } from './chromium'
import { api } from './api'
import { createProject, createProjects, submitNewProject } from './flows'
import { holdWriteLock } from '../unit/support/lock-holder'

test.skip(!hasChromium(), CHROMIUM_MISSING_REASON)

/** What the back end itself answers to a create request, to compare with what the form shows. */
async function backendMessage(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post('/api/projects.create', { data: { name } })
  const reply = (await response.json()) as { ok: boolean; error?: { message: string } }
  expect(reply.ok).toBe(false)
  return reply.error!.message
}

test('an empty project name shows the back end message', async ({ page }) => {
  await page.goto('/')
  const dialog = await submitNewProject(page, '   ')
  await expect(dialog.getByTestId('create-project-error')).toHaveText(await backendMessage(page.request, '   '))
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('a duplicate project name shows the back end message', async ({ page }) => {
  const name = `Duplicate ${Date.now()}`
  await page.goto('/')
  await createProject(page, name)
  await page.getByTestId('back-to-projects').click()
  await expect(page.getByTestId('project-item').filter({ hasText: name })).toHaveCount(1)

  const dialog = await submitNewProject(page, name)
  await expect(dialog.getByTestId('create-project-error')).toHaveText(await backendMessage(page.request, name))
  await expect(dialog).toBeVisible()
})

test('a project deleted from the list goes, after its confirmation; the others stay', async ({ page }) => {
  const stamp = Date.now()
  const [doomed, kept] = [`Doomed ${stamp}`, `Kept ${stamp}`]
  await page.goto('/')
  await createProjects(page, [doomed, kept])
  const item = (name: string) => page.getByTestId('project-item').filter({ hasText: name })
  await item(doomed).getByTestId('project-delete').click()
  const dialog = page.getByTestId('confirm-dialog')
  await expect(dialog).toContainText(`Delete “${doomed}” and its 0 posts and labels?`)
  // Another process holds the store's write lock for 2 s (as a large import does): the deletion waits
  // for it, and the list says so meanwhile (a 100,000-post project takes seconds to delete as well).
  const holder = await holdWriteLock((await api(page, 'app.info', undefined)).dbPath, 2000)
  await dialog.getByTestId('confirm-accept').click()
  await expect(item(doomed).getByTestId('project-delete')).toHaveText('Deleting…')
  await expect(item(doomed).getByTestId('project-delete')).toBeDisabled()
  await page.screenshot({ path: 'test-results/project-deleting.png' })
  expect(await holder.exited).toBe(0)
  await expect(item(doomed)).toHaveCount(0)
  await expect(item(kept)).toHaveCount(1)
  // The back end agrees: the project is gone from the store, not only from the page.
  const names = (await api(page, 'projects.list', undefined)).map((p) => p.name)
  expect(names).toContain(kept)
  expect(names).not.toContain(doomed)
  await page.screenshot({ path: 'test-results/project-deleted.png' })
})

test("a project's name and description are edited from the list; another project's name is refused with the back end's message", async ({ page }) => {
  const stamp = Date.now()
  const [first, second, renamed] = [`First ${stamp}`, `Second ${stamp}`, `Renamed ${stamp}`]
  await page.goto('/')
  await createProjects(page, [first, second])
  const item = (name: string) => page.getByTestId('project-item').filter({ hasText: name })
  await item(first).getByTestId('project-edit').click()
  const dialog = page.getByTestId('edit-project-dialog')
  await expect(dialog.getByTestId('project-name')).toHaveValue(first)
  await dialog.getByTestId('project-name').fill(second.toUpperCase())
  await dialog.getByTestId('edit-project-submit').click()
  await expect(dialog.getByTestId('edit-project-error')).toHaveText(`A project named "${second}" already exists`)
  await dialog.getByTestId('project-name').fill(renamed)
  await dialog.getByTestId('project-description').fill('posts from March')
  await page.screenshot({ path: 'test-results/project-edit.png' })
  await dialog.getByTestId('edit-project-submit').click()
  await expect(dialog).toBeHidden()
  await expect(item(renamed)).toContainText('posts from March')
  await expect(item(first)).toHaveCount(0)
  await item(renamed).getByTestId('project-link').click()
  await expect(page.getByTestId('project-title')).toHaveText(renamed)
})
