// Where a CSV, JSONL or Label Studio record's image lies. Without a root field, the path is
// relative to the file's folder and must stay inside it. With one (`image_root`, as the exports
// write for images outside the export's folder), the path is relative to that root and may not
// climb out of it. Symlinks are judged later, on real paths (run-import.ts).
import path from 'node:path'
import { isWithin } from '#main/core/safe-path'

export type ImageRef = { imageFile: string; imageRoot?: string } | { problem: string }

export function resolveImageRef(fileRoot: string, ref: string, rootField: unknown): ImageRef {
  const givenRoot = typeof rootField === 'string' ? rootField.trim() : ''
  if (givenRoot === '') {
    const imageFile = path.resolve(fileRoot, ref)
    return isWithin(fileRoot, imageFile) ? { imageFile } : { problem: `Image "${ref}" lies outside the file's folder ${fileRoot}` }
  }
  if (!path.isAbsolute(givenRoot)) return { problem: `image_root "${givenRoot}" is not an absolute path` }
  const imageFile = path.resolve(givenRoot, ref)
  return isWithin(givenRoot, imageFile) ? { imageFile, imageRoot: path.resolve(givenRoot) } : { problem: `Image "${ref}" lies outside its image_root ${givenRoot}` }
}
