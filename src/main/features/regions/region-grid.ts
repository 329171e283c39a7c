// Image region features for text-guided fusion (ALGORITHMS §4.1, our reading): the image encoder's
// last feature map (MobileNetV2's out_relu, 7×7×1280 for a 224×224 image) average-pooled to a
// coarse g×g grid, cell by cell. Cached in the feature cache beside the pooled vector, under an id
// that extends the image encoder's (so a new encoder version means new regions), view 'clean', in
// float16: 2×2 cells × 1,280 channels × 2 bytes = 10,240 bytes a post (3×3: 23,040).
import type { EncoderPairInfo } from '#shared/features'
import { DEFAULT_IMAGE_ID } from '../encoders/default/image-encoder'
import { MOBILENET_DIM } from '../encoders/default/mobilenet'

export const REGION_GRIDS = [2, 3] as const
export type RegionGrid = (typeof REGION_GRIDS)[number]
export const DEFAULT_REGION_GRID: RegionGrid = 2

/** What a post's region row holds: `cells` rows of `channels` values, cell-major (row by row of the grid). */
export interface RegionInfo {
  id: string
  grid: number
  cells: number
  channels: number
  /** cells × channels. */
  dim: number
}

/** Image encoders whose feature map the app can cut into regions, by id, with the map's channels. */
const WITH_REGIONS = new Map<string, number>([[DEFAULT_IMAGE_ID, MOBILENET_DIM]])

export const regionEncoderId = (imageEncoderId: string, grid: number): string => `${imageEncoderId}#regions${grid}x${grid}`

/** The region rows a pair's image encoder gives on a g×g grid; null when that encoder has no feature map the app can read. */
export function regionInfo(pair: Pick<EncoderPairInfo, 'image'>, grid: number): RegionInfo | null {
  const channels = WITH_REGIONS.get(pair.image.id)
  if (channels === undefined || !(REGION_GRIDS as readonly number[]).includes(grid)) return null
  return { id: regionEncoderId(pair.image.id, grid), grid, cells: grid * grid, channels, dim: grid * grid * channels }
}

/** Why a pair has no regions, for the launch dialog and the CLI. */
export const noRegionsReason = (pair: Pick<EncoderPairInfo, 'image'>): string =>
  `the image encoder ${pair.image.id} has no feature map the app can cut into regions (only ${[...WITH_REGIONS.keys()].join(', ')})`

/** [start, end) of cell i of g along an axis of n: adaptive average pooling's bounds (cells overlap when g does not divide n). */
export function cellBounds(i: number, g: number, n: number): [number, number] {
  return [Math.floor((i * n) / g), Math.ceil(((i + 1) * n) / g)]
}

/**
 * NCHW feature maps of `count` images → per image, g×g cells × C channels (cell-major), each cell
 * the mean of the map over its rows and columns.
 */
export function poolGrid(map: Float32Array, count: number, channels: number, height: number, width: number, grid: number): Float32Array[] {
  if (map.length !== count * channels * height * width) throw new Error(`feature map: ${map.length} values, expected ${count}×${channels}×${height}×${width}`)
  const out: Float32Array[] = []
  for (let n = 0; n < count; n++) {
    const cells = new Float32Array(grid * grid * channels)
    for (let gy = 0; gy < grid; gy++) {
      const [y0, y1] = cellBounds(gy, grid, height)
      for (let gx = 0; gx < grid; gx++) {
        const [x0, x1] = cellBounds(gx, grid, width)
        const area = (y1 - y0) * (x1 - x0)
        const cell = (gy * grid + gx) * channels
        for (let c = 0; c < channels; c++) {
          const plane = (n * channels + c) * height * width
          let sum = 0
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += map[plane + y * width + x]!
          cells[cell + c] = sum / area
        }
      }
    }
    out.push(cells)
  }
  return out
}
