// Paths on the back end's machine, as the pickers handle them. Pure: unit-tested in Node.

/** The folder a picked path lies in: itself for a folder, its parent for a file (either separator). */
export function folderOf(picked: string, kind: 'folder' | 'file'): string {
  if (kind === 'folder') return picked
  const cut = Math.max(picked.lastIndexOf('/'), picked.lastIndexOf('\\'))
  return cut > 0 ? picked.slice(0, cut) : picked
}
