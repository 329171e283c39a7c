// The launch dialog shows what the run will use: SPP-SCL's own optimiser (AdamW, lr 1e-3) rather than
// the preset's SGD, the same values the back end answers for that method; SCDR shows its ULGM and
// SPP-SCL options with one line of help each. A screenshot of SCDR's Advanced section goes to the output.
import { expect, test, type Locator } from '@playwright/test'
import { api } from './api'
import { CHROMIUM_MISSING_REASON, hasChromium } from './chromium'
import { createProject } from './flows'

// The spec drives Debian's Chromium: without it, skip and print where it was looked for and how to install it.
test.skip(!hasChromium(), CHROMIUM_MISSING_REASON)

const input = (dialog: Locator, field: string): Locator => dialog.getByTestId(`run-input-${field}`)

test('Advanced shows the chosen method’s values and its options’ help', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto('/')
  await createProject(page, `Launch dialog ${Date.now()}`)
  await page.getByTestId('nav-train').click()
  await page.getByTestId('open-launch').click()
  const dialog = page.getByTestId('launch-dialog')
  // It opens on the run the CLI starts and RESULTS.md measures: self-training under `default`, not the plumbing test `quick`.
  await expect(dialog.getByTestId('launch-method')).toHaveValue('self-training')
  await expect(dialog.getByTestId('launch-preset')).toHaveValue('default')
  await dialog.getByTestId('launch-advanced').click()

  // What the back end says a SPP-SCL run uses under `default` (a request without payload sends {}).
  const sppScl = (await api(page, 'runs.presets', {} as never)).presetValues['spp-scl'].default
  await dialog.getByTestId('launch-method').selectOption('spp-scl')
  await expect(input(dialog, 'optimizer')).toHaveValue('adamw')
  await expect(input(dialog, 'lr')).toHaveValue(String(sppScl.lr))
  await expect(input(dialog, 'batchLabeled')).toHaveValue(String(sppScl.batchLabeled))
  await expect(dialog.getByTestId('run-field-ulgm.mode')).toHaveCount(0)

  await dialog.getByTestId('launch-method').selectOption('scdr')
  await expect(input(dialog, 'optimizer')).toHaveValue('sgd')
  await expect(input(dialog, 'lr')).toHaveValue('0.01')
  for (const field of ['ulgm.mode', 'ulgm.weight', 'scdr.sppSclWeight']) await expect(dialog.getByTestId(`run-help-${field}`)).toHaveText(/\w/)
  await input(dialog, 'ulgm.mode').fill('on')
  await input(dialog, 'scdr.sppSclWeight').fill('0.1')
  // No project posts yet, so Start stays off, but the settings themselves raise no problem.
  await expect(dialog.getByTestId('run-field-ulgm.mode').getByTestId('run-field-problem')).toHaveCount(0)
  await expect(dialog.getByTestId('run-field-scdr.sppSclWeight').getByTestId('run-field-problem')).toHaveCount(0)
  await dialog.getByTestId('run-field-scdr.sppSclWeight').scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('launch-dialog-scdr-options.png') })
})
