import { readFileSync } from 'node:fs'

let cached: string | undefined

/** The version in package.json, found relative to this module in source and in the bundle alike. */
export function readAppVersion(): string {
  if (cached) return cached
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'common-ground' && pkg.version) return (cached = pkg.version)
    } catch {
      // try the next location
    }
  }
  return (cached = '0.0.0')
}
