import { readdirSync } from 'node:fs'
import path from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'
import { LADDER, ROOT } from '../../scripts/room-ladder.mjs'

// The house import rules bite: small snippets linted in memory with the project's own config, as if
// they lived at the given path. Only `house/imports` is looked at (a snippet may break others).
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: path.join(ROOT, 'eslint.config.js'), cache: false })
})

async function importProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) })
  return result!.messages.filter((m) => m.ruleId === 'house/imports').map((m) => m.message)
}

describe('house import rules (eslint.config.js, scripts/room-ladder.mjs)', () => {
  it("keeps 'electron' in src/main/electron and src/preload, in every form of import", async () => {
    const code = "import { app } from 'electron'\nexport const later = () => import('electron/main')\nexport { app }\n"
    expect(await importProblems('src/main/app/window.ts', code)).toEqual([
      "'electron' is imported only in src/main/electron/ and src/preload/",
      "'electron' is imported only in src/main/electron/ and src/preload/",
    ])
    expect(await importProblems('src/main/workers/launch.ts', "export type P = import('electron').UtilityProcess\n")).toHaveLength(1)
    expect(await importProblems('tests/unit/some.test.ts', "import 'electron'\n")).toHaveLength(1)
    expect(await importProblems('src/main/electron/window.ts', code)).toEqual([])
    expect(await importProblems('src/preload/index.ts', code)).toEqual([])
  })

  it('keeps db from importing the rooms above it, type-only imports included', async () => {
    expect(await importProblems('src/main/db/store.ts', "import type { Row } from '#main/features/cache/rows'\nexport type R = Row\n")).toEqual([
      "db imports features, a room above it ('#main/features/cache/rows')",
    ])
    expect(await importProblems('src/main/db/store.ts', "export * from '#main/review/risk'\n")).toEqual([
      "db imports review, a room above it ('#main/review/risk')",
    ])
    // Downward is fine.
    expect(await importProblems('src/main/db/store.ts', "export * from '#main/core/errors'\nexport * from '#shared/runs'\n")).toEqual([])
  })

  it('keeps rooms on the same rung apart, and relative paths inside their room', async () => {
    expect(await importProblems('src/main/datasets/run-import.ts', "export * from '#main/labeling/suggest'\n")).toEqual([
      "datasets imports labeling, a room on the same rung ('#main/labeling/suggest')",
    ])
    expect(await importProblems('src/main/db/store.ts', "export * from '../core/errors'\n")).toEqual([
      "'../core/errors' leaves the room db: import it as #main/core/…",
    ])
    expect(await importProblems('src/main/db/deeper/x.ts', "export * from '../store'\n")).toEqual([])
  })

  it('keeps the renderer out of src/main and off Node built-ins', async () => {
    const file = 'src/renderer/src/stores/runs.ts'
    expect(await importProblems(file, "import type { Backend } from '#main/app/backend'\nexport type B = Backend\n")).toEqual([
      "src/renderer never imports src/main ('#main/app/backend')",
    ])
    expect(await importProblems(file, "import { readFile } from 'node:fs/promises'\nimport path from 'path'\nexport { readFile, path }\n")).toEqual([
      "the renderer never imports a Node built-in ('node:fs/promises')",
      "the renderer never imports a Node built-in ('path')",
    ])
    expect(await importProblems('src/renderer/src/components/Chart.vue', "<script setup lang=\"ts\">\nimport { x } from '#main/ml/metrics'\nconsole.log(x)\n</script>\n")).toHaveLength(1)
    expect(await importProblems(file, "export * from '#shared/runs'\nexport * from '#renderer/lib/format'\n")).toEqual([])
  })

  it('keeps src/shared to itself and valibot', async () => {
    expect(await importProblems('src/shared/runs.ts', "export * from 'zod'\nexport * from '#main/core/errors'\nexport * from 'node:path'\n")).toHaveLength(3)
    expect(await importProblems('src/shared/runs.ts', "export * from 'valibot'\nexport * from './vocabulary'\n")).toEqual([])
  })

  it('refuses an import that climbs more than one level anywhere in src/', async () => {
    expect(await importProblems('src/main/features/extraction/worker.ts', "export * from '../../../shared/runs'\n")).toContainEqual(
      "'../../../shared/runs' climbs more than one level: use #main/<room>/…, #shared/… or #renderer/…",
    )
    expect(await importProblems('src/renderer/src/views/deep/View.ts', "export * from '../../lib/format'\n")).toHaveLength(1)
  })

  it('has every room of src/main on the ladder', () => {
    const rooms = readdirSync(path.join(ROOT, 'src/main'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    expect(rooms.filter((room) => !LADDER.flat().includes(room))).toEqual([])
  })
})
