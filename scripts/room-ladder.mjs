// The room ladder and the import rules of src/, in one place: the ESLint config (rule
// `house/imports`) and `npm run rooms` (scripts/room-imports.mjs) both read this file.
import { builtinModules } from 'node:module'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The rooms of src/main (and src/shared beneath them), lowest first. A room imports only rooms on
 * lower rungs; rooms on the same rung do not import each other.
 */
export const LADDER = [
  ['shared'],
  ['core'],
  ['ml', 'workers'],
  ['media'],
  ['db'],
  ['datasets', 'labeling', 'features'],
  ['training'],
  ['review'],
  ['exports'],
  ['app'],
  ['server'],
  ['cli', 'electron'],
]

/** The two front ends beside src/main: each imports only itself and src/shared. */
export const SHELLS = ['preload', 'renderer']

/** The folders where `import … from 'electron'` may appear. */
export const ELECTRON_FOLDERS = ['src/main/electron/', 'src/preload/']

/** The only package src/shared imports. */
export const SHARED_PACKAGES = ['valibot']

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

const RUNG = new Map(LADDER.flatMap((rooms, rung) => rooms.map((room) => [room, rung])))

/** The rooms in ladder order, then the shells. */
export const ROOM_ORDER = [...LADDER.flat(), ...SHELLS]

/** Whether room `from` may import room `to`: itself, a room on a lower rung, or (from a shell) src/shared. */
export function mayImport(from, to) {
  if (from === to) return true
  if (SHELLS.includes(from)) return to === 'shared'
  if (SHELLS.includes(to)) return false
  const [a, b] = [RUNG.get(from), RUNG.get(to)]
  return a !== undefined && b !== undefined && b < a
}

/** `src/main/db/store.ts` → 'db', `src/shared/x.ts` → 'shared', `src/renderer/…` → 'renderer'; else null. */
export function roomOf(file) {
  const parts = file.split('/')
  if (parts[0] !== 'src' || parts.length < 3) return null
  if (parts[1] === 'main') return parts.length > 3 ? parts[2] : null
  return parts[1] === 'shared' || SHELLS.includes(parts[1]) ? parts[1] : null
}

// package.json "imports" (#shared/*, #main/*, #renderer/*.vue, #renderer/*), most specific first as Node orders them.
const SUBPATHS = Object.entries(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).imports ?? {})
  .map(([key, target]) => {
    const [prefix, suffix = ''] = key.split('*')
    return { prefix, suffix, target: target.replace(/^\.\//, '') }
  })
  .sort((a, b) => b.prefix.length - a.prefix.length || b.suffix.length - a.suffix.length)

const BUILTINS = new Set(builtinModules)

/**
 * What an import specifier names, seen from `from` (a path relative to the repository, with '/'):
 * a file of the repository `{ file }` (without guessing an extension), a Node built-in, or a package.
 */
export function resolveSpecifier(from, specifier) {
  if (specifier.startsWith('.')) return { file: path.posix.join(path.posix.dirname(from), specifier) }
  if (specifier.startsWith('#')) {
    for (const { prefix, suffix, target } of SUBPATHS) {
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        return { file: target.replace('*', specifier.slice(prefix.length, specifier.length - suffix.length)) }
      }
    }
    return { unknown: specifier }
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return { builtin: specifier }
  const parts = specifier.split('/')
  return { package: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] }
}

const climbs = (specifier) => specifier.split('/').filter((part) => part === '..').length

/** The house rules an import breaks, as messages; [] when it keeps them all. */
export function importProblems(from, specifier) {
  const problems = []
  const target = resolveSpecifier(from, specifier)
  if (target.package === 'electron' && !ELECTRON_FOLDERS.some((folder) => from.startsWith(folder))) {
    problems.push(`'electron' is imported only in ${ELECTRON_FOLDERS.join(' and ')}`)
  }
  if (!from.startsWith('src/')) return problems
  if (climbs(specifier) > 1) {
    problems.push(`'${specifier}' climbs more than one level: use #main/<room>/…, #shared/… or #renderer/…`)
  }
  const fromRoom = roomOf(from)
  const toRoom = target.file ? roomOf(target.file) : null
  if (fromRoom === null) return problems
  if (fromRoom === 'shared') {
    if (target.file ? toRoom !== 'shared' : !SHARED_PACKAGES.includes(target.package)) {
      problems.push(`src/shared imports only itself and ${SHARED_PACKAGES.join(', ')}, not '${specifier}'`)
    }
    return problems
  }
  if (SHELLS.includes(fromRoom)) {
    if (target.builtin && fromRoom === 'renderer') problems.push(`the renderer never imports a Node built-in ('${specifier}')`)
    else if (target.file?.startsWith('src/main/')) problems.push(`src/${fromRoom} never imports src/main ('${specifier}')`)
    else if (target.file && toRoom !== fromRoom && toRoom !== 'shared') {
      problems.push(`src/${fromRoom} imports only itself and src/shared, not '${specifier}'`)
    }
    return problems
  }
  // A room of src/main.
  if (!target.file || toRoom === null || toRoom === fromRoom) return problems
  if (SHELLS.includes(toRoom)) {
    problems.push(`src/main never imports src/${toRoom} ('${specifier}')`)
    return problems
  }
  if (specifier.startsWith('.')) {
    problems.push(`'${specifier}' leaves the room ${fromRoom}: import it as ${toRoom === 'shared' ? '#shared/…' : `#main/${toRoom}/…`}`)
  }
  const [a, b] = [RUNG.get(fromRoom), RUNG.get(toRoom)]
  if (a === undefined) problems.push(`${fromRoom} is not on the room ladder (scripts/room-ladder.mjs)`)
  else if (b === undefined) problems.push(`${toRoom} is not on the room ladder (scripts/room-ladder.mjs)`)
  else if (b === a) problems.push(`${fromRoom} imports ${toRoom}, a room on the same rung ('${specifier}')`)
  else if (b > a) problems.push(`${fromRoom} imports ${toRoom}, a room above it ('${specifier}')`)
  return problems
}
