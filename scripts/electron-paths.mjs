// Where the Electron build of better-sqlite3 lives, for the launch script, the Electron main
// process (which bundles this file: keep it free of side effects) and the Electron e2e suite.
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The version of the `electron` package installed under `root`. */
export function electronVersion(root) {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
}

/** better-sqlite3 built for one Electron version's ABI, kept beside (not instead of) Node's build. */
export const nativeBindingPath = (root, electronVersion) =>
  path.join(root, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node')
