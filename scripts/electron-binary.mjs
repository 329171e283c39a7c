// Where the Electron executable is, without triggering a download: `require('electron')`
// fetches the binary when it is missing, which on an offline machine only fails slowly.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export function findElectronBinary(env = process.env) {
  const pkg = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(pkg, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist')
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) return null
  const binary = path.join(dist, relative || 'electron')
  return existsSync(binary) ? binary : null
}

