// The desktop app end to end: Playwright drives the BUILT Electron app (out/, from `npm run build`).
// Needs the Electron binary, which electron 45 downloads on first launch; where it is missing
// (offline machines) the suite skips itself with the reason. Linux CI needs an X server:
// `xvfb-run -a npm run test:electron`.
import path from 'node:path'
import { defineConfig } from '@playwright/test'

const repoRoot = path.resolve(import.meta.dirname, '../..')

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(repoRoot, 'test-results/electron'),
  // One app instance at a time: it holds a single-instance lock, and two cores gain nothing.
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  // list marks skips with no reason; skip-reasons prints them above list's summary.
  reporter: [['../e2e/skip-reasons.ts'], ['list']],
  forbidOnly: Boolean(process.env.CI),
})
