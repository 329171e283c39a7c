import type { Store } from '#main/db/store'
import { contentTypeOf, isImageFile } from '#main/media/content-type'
import { parseMediaPath } from '#main/media/media-path'
import { resolveInside } from '#main/core/safe-path'
import { legacyThumbnailFileName } from '#main/media/thumbnails'

export interface ResolvedMedia {
  file: string
  contentType: string
}

/** Turns a media path from the UI into a file inside one of the project's own folders, or refuses. */
export class MediaResolver {
  constructor(private readonly store: Store) {}

  async resolve(mediaPath: string): Promise<ResolvedMedia | null> {
    const ref = parseMediaPath(mediaPath)
    if (!ref) return null
    let root: string | null
    let relative: string
    if (ref.kind === 'thumb') {
      if (!this.store.projects.exists(ref.projectId)) return null
      root = this.store.thumbnailDir(ref.projectId)
      relative = ref.file
    } else {
      root = this.store.sources.rootOf(ref.projectId, ref.sourceId)
      relative = ref.relPath
    }
    if (!root || !isImageFile(relative)) return null
    let file = await resolveInside(root, relative)
    const legacy = ref.kind === 'thumb' && !file ? legacyThumbnailFileName(relative) : null
    if (legacy) file = await resolveInside(root, legacy)
    return file ? { file, contentType: contentTypeOf(file) } : null
  }
}

