// Paths on the back end's machine, as the pickers handle them. Pure: unit-tested in Node.

/** The folder a picked path lies in: itself for a folder, its parent for a file (either separator). */
export function folderOf(picked: string, kind: 'folder' | 'file'): string {
  if (kind === 'folder') return picked
  const cut = Math.max(picked.lastIndexOf('/'), picked.lastIndexOf('\\'))
  return cut > 0 ? picked.slice(0, cut) : picked
}

/**
 * `name` in the folder `dir`, joined with the folder's own separator (a drive letter, a UNC path or
 * backslashes alone mean Windows); '' while no folder is given.
 */
export function pathIn(dir: string, name: string): string {
  const trimmed = dir.trim()
  if (trimmed === '') return ''
  const windows = /^([a-zA-Z]:)?\\/.test(trimmed) || (trimmed.includes('\\') && !trimmed.includes('/'))
  return `${trimmed.replace(/[\\/]+$/, '')}${windows ? '\\' : '/'}${name}`
}
