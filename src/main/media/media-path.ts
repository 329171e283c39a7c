// Media paths are how the UI names a project's images: `p/<project>/thumbs/<file>` for
// thumbnails, `p/<project>/s/<source>/<path inside the imported folder>` for originals.
// They never carry a file-system path: the back end resolves them against the project's own folders.

export type MediaRef =
  | { kind: 'thumb'; projectId: number; file: string }
  | { kind: 'source'; projectId: number; sourceId: number; relPath: string }

export const thumbMediaPath = (projectId: number, file: string): string => `p/${projectId}/thumbs/${file}`

export const sourceMediaPath = (projectId: number, sourceId: number, relPath: string): string =>
  `p/${projectId}/s/${sourceId}/${relPath.split(/[\\/]+/).map(encodeURIComponent).join('/')}`

export function parseMediaPath(raw: string): MediaRef | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(raw.replace(/^\/+/, ''))
  } catch {
    return null
  }
  const thumb = /^p\/(\d+)\/thumbs\/([^/\\]+)$/.exec(decoded)
  if (thumb) return { kind: 'thumb', projectId: Number(thumb[1]), file: thumb[2]! }
  const source = /^p\/(\d+)\/s\/(\d+)\/(.+)$/.exec(decoded)
  if (source) {
    return { kind: 'source', projectId: Number(source[1]), sourceId: Number(source[2]), relPath: source[3]! }
  }
  return null
}
