import { existsSync } from 'node:fs'
import { nativeBindingPath } from '#scripts/electron-paths.mjs'
import { createBackend, type Backend } from '#main/app/backend'
import { defaultDbPath } from '#main/app/paths'
import { PROJECT_ROOT } from './app-page'
import { pickPath } from './pick-path'
import { launchUtilityProcess } from './utility-process'

/**
 * The back end on the user's store, loading the better-sqlite3 built for Electron's ABI
 * (scripts/ensure-electron-native.mjs makes it; node_modules holds Node's build, for tests and the CLI).
 */
export function openBackend(): Backend {
  const binding = nativeBindingPath(PROJECT_ROOT, process.versions.electron)
  try {
    return createBackend({
      dbPath: defaultDbPath(),
      // The feature worker and the trainer run as utility processes.
      shell: { shell: 'electron', pickPath, launchProcess: launchUtilityProcess },
      // Heavy reads in a worker thread: a synchronous read here would block every window.
      readThread: true,
      nativeBinding: existsSync(binding) ? binding : undefined,
    })
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    const hint = existsSync(binding)
      ? ''
      : `\n\n${binding} is missing: start the app with \`npm start\`, which builds it for this Electron version.`
    throw new Error(`Cannot open the store ${defaultDbPath()}: ${reason}${hint}`, { cause: err })
  }
}
