import sharp from 'sharp'

/** A small real JPEG of one colour; `seed` varies the colour so hashes differ. */
export async function jpeg(seed = 0, size = 48): Promise<Buffer> {
  return sharp({
    create: { width: size, height: Math.round(size * 0.75), channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: 128 } },
  })
    .jpeg()
    .toBuffer()
}

/** The first half of a real JPEG: decoders stop at a premature end of data. */
export async function truncatedJpeg(seed = 0): Promise<Buffer> {
  const full = await jpeg(seed, 256)
  return full.subarray(0, Math.floor(full.length / 2))
}
