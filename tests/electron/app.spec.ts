// The desktop shell as a person meets it: the window opens, the preload bridge answers, and the
// same import flow as the browser e2e works through IPC and the cg-media protocol.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { findElectronBinary } from '../../scripts/electron-binary.mjs'
import { electronVersion, nativeBindingPath } from '../../scripts/electron-paths.mjs'
import type { Bridge } from '#shared/contract'
import { closeImportReport, createProject, expectVisibleThumbnailsLoaded, importFolder, readStats } from '../e2e/flows'
import { buildMvsaSubset, expectedCounts } from '../e2e/mvsa-subset'
import { MVSA_SINGLE, mvsaMissing } from '../unit/support/mvsa-dir'

const ROOT = path.resolve(import.meta.dirname, '../..')
const MAIN = path.join(ROOT, 'out', 'main', 'index.js')
const BINARY = findElectronBinary()
const NATIVE = nativeBindingPath(ROOT, electronVersion(ROOT))

test.skip(
  BINARY === null,
  'Electron binary not installed: electron 45 downloads it on first launch, impossible offline; ' +
    'this suite runs wherever the binary exists',
)
test.skip(
  !existsSync(NATIVE),
  `No better-sqlite3 built for Electron at ${path.relative(ROOT, NATIVE)}: run \`npm start\` once (it builds it; needs the network once)`,
)
test.describe.configure({ mode: 'serial' })

let app: ElectronApplication
let window: Page
let home: string

/** The app on a data folder of its own. */
async function launch(dataHome: string): Promise<ElectronApplication> {
  if (!existsSync(MAIN)) throw new Error(`${path.relative(ROOT, MAIN)} is missing: run \`npm run build\` first`)
  // ELECTRON_RUN_AS_NODE would start a plain Node instead of the app.
  const { ELECTRON_RUN_AS_NODE: _asNode, ...env } = process.env
  return await electron.launch({
    executablePath: BINARY!,
    // --no-sandbox: CI containers lack the kernel features Chromium's sandbox needs.
    args: [MAIN, '--no-sandbox'],
    cwd: ROOT,
    env: { ...(env as Record<string, string>), COMMON_GROUND_HOME: dataHome },
  })
}

test.beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'common-ground-electron-'))
  app = await launch(home)
  window = await app.firstWindow()
})

test.afterAll(async () => {
  await app?.close()
  if (home) await rm(home, { recursive: true, force: true })
})

test('the window opens, shows, and the preload bridge answers', async () => {
  await expect
    .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible() ?? false))
    .toBe(true)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.isCrashed())).toBe(false)

  const info = await window.evaluate(async () => {
    // tsconfig.node.json has no DOM library: reach the bridge through globalThis.
    const bridge = (globalThis as { commonGround?: Bridge }).commonGround
    return bridge ? await bridge.invoke('app.info', undefined) : null
  })
  expect(info).toMatchObject({ ok: true, result: { shell: 'electron', nativeDialogs: true } })
  expect(await window.evaluate(() => 'ipcRenderer' in globalThis || 'require' in globalThis)).toBe(false)
})

test('a person imports an MVSA subset and sees its thumbnails and counts', async () => {
  test.skip(mvsaMissing !== null, `needs MVSA-Single: ${mvsaMissing}`)
  const subset = await buildMvsaSubset()
  try {
    const expected = await expectedCounts(subset.dir)
    await createProject(window, 'MVSA in Electron', '200 posts of MVSA-Single')
    const { figures } = await importFolder(window, subset.dir, 'mvsa')
    expect(figures).toMatchObject({ found: 200, imported: 200, skipped: 0, problems: 0, conflicts: expected.conflicts })
    await closeImportReport(window)

    await expect(window.getByTestId('grid-count')).toHaveText('200 posts')
    // Thumbnails arrive through the cg-media:// protocol, under the app's CSP.
    expect(await expectVisibleThumbnailsLoaded(window)).toBeGreaterThan(0)
    expect(await readStats(window)).toEqual(expected)
  } finally {
    await subset.remove()
  }
})

test('quitting while an import checks its images stops it, waits for its thread and exits cleanly, the store whole', async () => {
  test.skip(mvsaMissing !== null, `needs MVSA-Single: ${mvsaMissing}`)
  // The whole data set, read where it lies: its 4,358 images take far longer to check than the quit.
  const ownHome = await mkdtemp(path.join(tmpdir(), 'common-ground-electron-quit-'))
  try {
    const quitting = await launch(ownHome)
    const page = await quitting.firstWindow()
    // Through the bridge: start the import and come back once its thread checks images.
    const started = await page.evaluate(async (dir) => {
      const bridge = (globalThis as { commonGround?: Bridge }).commonGround!
      const project = await bridge.invoke('projects.create', { name: 'Quit mid-import' })
      if (!project.ok) return project.error.message
      const checking = new Promise<void>((resolve) => bridge.on('imports.progress', (p) => p.phase === 'images' && p.done > 0 && resolve()))
      const job = await bridge.invoke('imports.start', { projectId: project.result.id, path: dir, format: 'mvsa' })
      if (!job.ok) return job.error.message
      await checking
      return 'checking'
    }, MVSA_SINGLE)
    expect(started).toBe('checking')
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      quitting.process().once('exit', (code, signal) => resolve({ code, signal })),
    )
    await quitting.close()
    // Not ended by a signal or a crash inside sharp: the quit waited for the import's thread.
    expect(await exited).toEqual({ code: 0, signal: null })
    // The store opens, is whole, and holds none of the cancelled import.
    const store = new Database(path.join(ownHome, 'common-ground.db'), { readonly: true })
    try {
      expect(store.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(store.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(0)
      expect(store.prepare('SELECT name FROM projects').pluck().all()).toEqual(['Quit mid-import'])
    } finally {
      store.close()
    }
  } finally {
    await rm(ownHome, { recursive: true, force: true })
  }
})
