import { realpath } from 'node:fs/promises'
import path from 'node:path'

/**
 * Resolves `relative` inside `root`, or returns null when it would leave it: absolute paths,
 * `..` segments, NUL bytes, and symlinks whose target lies outside `root` are all refused.
 * The file must exist (its real path is what gets checked).
 */
export async function resolveInside(root: string, relative: string): Promise<string | null> {
  if (relative.length === 0 || relative.includes('\0')) return null
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) return null
  const segments = relative.split(/[\\/]+/)
  if (segments.some((s) => s === '..' || s === '.')) return null
  let realRoot: string
  let realFile: string
  try {
    realRoot = await realpath(root)
    realFile = await realpath(path.join(root, ...segments))
  } catch {
    return null
  }
  return isWithin(realRoot, realFile) ? realFile : null
}

export function isWithin(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}
