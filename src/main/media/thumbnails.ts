import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

/** Long side of a grid thumbnail, in pixels (the grid shows them at about half, for HiDPI). */
export const THUMBNAIL_SIZE = 256

/** Thumbnails are named by the image's content hash, so re-imports and crashes cannot mismatch them. */
export const thumbnailFileName = (imageHash: string): string => `${imageHash}.jpg`

/** The name stores made before 0.1 used (WebP thumbnails): still served where no JPEG exists. */
export const legacyThumbnailFileName = (file: string): string | null => (file.endsWith('.jpg') ? `${file.slice(0, -4)}.webp` : null)

export interface DecodedImage {
  width: number
  height: number
  thumbnail: Buffer
}

/**
 * Decodes the whole image (so a corrupt or truncated file fails here, at import, not in the grid)
 * and renders its thumbnail. Throws with libvips' own words on bad input.
 */
export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
  const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 100_000_000 })
  const meta = await image.metadata()
  if (!meta.width || !meta.height) throw new Error('no image dimensions')
  const thumbnail = await image
    .rotate() // honour EXIF orientation
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    // JPEG: at 256 px it encodes in half the time of WebP at its fastest effort (the import's
    // largest cost after decoding; `npm run bench import`), for 10 % more bytes.
    .jpeg({ quality: 80 })
    .toBuffer()
  const rotated = (meta.orientation ?? 1) >= 5
  return { width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height, thumbnail }
}

/** Writes a thumbnail unless it is already there; write-then-rename so a crash never leaves half a file. */
export async function storeThumbnail(dir: string, imageHash: string, thumbnail: Buffer): Promise<void> {
  const target = path.join(dir, thumbnailFileName(imageHash))
  try {
    await stat(target)
    return
  } catch {
    // not there yet
  }
  await mkdir(dir, { recursive: true })
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    await writeFile(tmp, thumbnail)
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
}
