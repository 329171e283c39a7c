// Turns images into region rows: squashed to the network's side, run through a network that returns
// its last feature map (NCHW), pooled to the grid (region-grid.ts).
import type { RgbImage } from '../encoder'
import { fitImage, toFloatBatch } from '../encoders/image-prep'
import { poolGrid, type RegionInfo } from './region-grid'

/** A network that returns feature maps: what MobileNetV2's out_relu is, or a tiny test model. */
export interface MapNet {
  runtime: string
  /** The square input side. */
  size: number
  /** A batch of `n` images (NCHW, values in 0..1) → their maps, NCHW. */
  run(batch: Float32Array, n: number): Promise<{ data: Float32Array; channels: number; height: number; width: number }>
  dispose(): Promise<void>
}

export interface RegionEncoder {
  readonly info: RegionInfo & { modality: 'image'; description: string }
  encode(images: readonly RgbImage[]): Promise<Float32Array[]>
  dispose(): Promise<void>
}

/** Images per network call, as the image encoder. */
const BATCH = 8

export function createRegionEncoder(net: MapNet, region: RegionInfo): RegionEncoder {
  return {
    info: { ...region, modality: 'image', description: `${region.grid}×${region.grid} grid of the last feature map (${net.runtime})` },
    async encode(images) {
      const rows: Float32Array[] = []
      for (let start = 0; start < images.length; start += BATCH) {
        const batch = await Promise.all(images.slice(start, start + BATCH).map((image) => fitImage(image, net.size, net.size, 'squash')))
        const map = await net.run(toFloatBatch(batch, { layout: 'nchw', mean: [0, 0, 0], std: [1, 1, 1] }), batch.length)
        if (map.channels !== region.channels) throw new Error(`region encoder ${region.id}: the map has ${map.channels} channels, expected ${region.channels}`)
        rows.push(...poolGrid(map.data, batch.length, map.channels, map.height, map.width, region.grid))
      }
      return rows
    },
    dispose: () => net.dispose(),
  }
}
