// End-to-end tests in Chromium against browser mode. The server serves the BUILT renderer
// (out/renderer): run `npm run build` first (`npm test` does, before `npm run test:e2e`).
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from './chromium'

const missing = chromiumMissing()
if (missing && process.env.CI) throw new Error(missing)

// E2E_PORT lets two checkouts on one machine run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 5391)
const repoRoot = path.resolve(import.meta.dirname, '../..')
// Set once in the runner and inherited by its workers, so they all agree on one store.
process.env.CG_E2E_DIR ??= mkdtempSync(path.join(tmpdir(), 'common-ground-e2e-'))
// The server asks every request for its token, loopback included: the runner picks one, hands it
// to the server through the environment (not the command line, which `ps` shows) and gives the
// browser the cookie `/?token=` would have set.
process.env.CG_E2E_TOKEN ??= randomBytes(24).toString('base64url')
const TOKEN = process.env.CG_E2E_TOKEN

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(repoRoot, 'test-results/e2e'),
  globalTeardown: './global-teardown.ts',
  // One server and one store behind every test; two cores do not gain from parallel browsers.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // list marks skips with no reason; skip-reasons prints them above list's summary.
  reporter: [['./skip-reasons.ts'], ['list']],
  forbidOnly: Boolean(process.env.CI),
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    storageState: {
      cookies: [{ name: 'cg_token', value: TOKEN, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' }],
      origins: [],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // A click on something that never comes fails in 30 s, not at the end of a long test's timeout.
    actionTimeout: 30_000,
  },
  webServer: {
    command: `node bin/common-ground.mjs serve --db "${path.join(process.env.CG_E2E_DIR, 'e2e.db')}" --port ${PORT} --root "${process.env.CG_E2E_DIR}"`,
    env: { COMMON_GROUND_TOKEN: TOKEN },
    cwd: repoRoot,
    url: `http://127.0.0.1:${PORT}/?token=${TOKEN}`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
})
