// The folders a shell lets the back end touch. Browser mode serves whoever holds the token, so
// every path a request names (an import folder or file, an export target, a folder to list) is
// resolved with realpath — symlinks followed — and must lie inside a granted root: the folders
// given to `serve --root` (the home folder by default) and the data folder. A relative path is
// refused in every shell: it would mean the server's working folder, which nobody chose.
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { AppError, badRequest } from '#main/core/errors'
import { expandHome } from './paths'

export class GrantedRoots {
  /** null: no limit (the desktop app and the CLI act for the person at the keyboard). */
  private readonly roots: string[] | null

  constructor(roots: readonly string[] | null) {
    this.roots = roots === null ? null : roots.map((r) => path.resolve(r))
  }

  /** The folders as given (resolved, not yet real paths); null: no limit. A thread rebuilds these roots from them. */
  get given(): readonly string[] | null {
    return this.roots
  }

  get limited(): boolean {
    return this.roots !== null
  }

  /** The granted folders, as real paths (those that exist). */
  async list(): Promise<string[]> {
    if (this.roots === null) return []
    const real = await Promise.all(this.roots.map((r) => realpath(r).catch(() => null)))
    return [...new Set(real.filter((r): r is string => r !== null))]
  }

  /** Whether a real path lies inside a granted root (always, without limits). */
  async contains(real: string): Promise<boolean> {
    if (this.roots === null) return true
    return (await this.list()).some((root) => isInsideOrAt(root, real))
  }

  /**
   * An existing file or folder a request names, as its real path, or a refusal naming the field.
   * `~` is the user's home; a relative path is refused.
   */
  async existing(raw: string, field: string): Promise<string> {
    const absolute = absoluteOf(raw, field)
    let real: string
    try {
      real = await realpath(absolute)
    } catch {
      throw badRequest(`${field}: ${absolute} does not exist`)
    }
    await this.requireInside(real, absolute, field)
    return real
  }

  /** A file or folder to create (or replace): its folder must exist and lie inside a root. */
  async target(raw: string, field: string): Promise<string> {
    const absolute = absoluteOf(raw, field)
    const name = path.basename(absolute)
    if (name === '' || name === '.' || name === '..') throw badRequest(`${field}: ${absolute} names no file`)
    let parent: string
    try {
      parent = await realpath(path.dirname(absolute))
    } catch {
      throw badRequest(`${field}: the folder ${path.dirname(absolute)} does not exist`)
    }
    const real = path.join(parent, name)
    // A symlink at the target itself is followed by the write: check where it leads.
    const resolved = await realpath(real).catch(() => real)
    await this.requireInside(resolved, absolute, field)
    return real
  }

  private async requireInside(real: string, shown: string, field: string): Promise<void> {
    if (this.roots === null) return
    const roots = await this.list()
    if (roots.some((root) => isInsideOrAt(root, real))) return
    const where = real === shown ? shown : `${shown} (really ${real})`
    throw new AppError('forbidden', `${field}: ${where} lies outside the folders this server may use: ${roots.join(', ') || 'none'}. Restart \`common-ground serve\` with --root to grant another.`)
  }
}

function absoluteOf(raw: string, field: string): string {
  const expanded = expandHome(raw.trim())
  if (expanded.includes('\0')) throw badRequest(`${field}: a path cannot contain a NUL character`)
  if (!path.isAbsolute(expanded)) throw badRequest(`${field}: give an absolute path (or one starting with ~/), not "${raw}"`)
  return path.resolve(expanded)
}

export function isInsideOrAt(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}
