import { expect, test, type APIRequestContext } from '@playwright/test'
import { CHROMIUM_MISSING_REASON, hasChromium } from './chromium'
import { createProject, submitNewProject } from './flows'

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
