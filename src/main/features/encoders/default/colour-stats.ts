// Colour and brightness statistics of an image: cheap, global cues (dark, grey, saturated, warm,
// high-contrast) that a frozen object-recognition backbone partly throws away. Every value is in 0..1
// or close to it, so they sit beside the backbone's features without rescaling.

/** Names of the values, in order; the layout documented in docs/ARCHITECTURE.md. */
export const COLOUR_STATS = [
  'mean R', 'mean G', 'mean B',
  'std R', 'std G', 'std B',
  'mean saturation', 'std saturation',
  'mean value', 'std value',
  'mean luma', 'std luma (contrast)',
  'colourfulness',
  'dark share (luma < 0.2)', 'bright share (luma > 0.8)', 'grey share (saturation < 0.15)',
  'hue red', 'hue yellow', 'hue green', 'hue cyan', 'hue blue', 'hue magenta',
  'edge strength',
] as const

export const COLOUR_DIM = COLOUR_STATS.length

const HUE_BINS = 6

/** Running first and second moments of one quantity. */
class Moments {
  private sum = 0
  private squares = 0
  add(v: number): void {
    this.sum += v
    this.squares += v * v
  }
  mean(n: number): number {
    return this.sum / n
  }
  std(n: number): number {
    return Math.sqrt(Math.max(0, this.squares / n - (this.sum / n) ** 2))
  }
}

const luma = (data: Uint8Array, p: number): number => (0.299 * data[p * 3]! + 0.587 * data[p * 3 + 1]! + 0.114 * data[p * 3 + 2]!) / 255

/** Which sixth of the hue circle (centred on red, yellow, green, cyan, blue, magenta) a colour is in. */
function hueBin(r: number, g: number, b: number, max: number, min: number): number {
  const d = max - min
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4
  return Math.floor((h + 0.5) % 6)
}

/** The statistics of 8-bit RGB pixels (row-major, `width` wide). */
export function colourStats(data: Uint8Array, width: number): Float32Array {
  const n = data.length / 3
  const red = new Moments()
  const green = new Moments()
  const blue = new Moments()
  const saturation = new Moments()
  const value = new Moments()
  const brightness = new Moments()
  const redGreen = new Moments()
  const yellowBlue = new Moments()
  let dark = 0
  let bright = 0
  let grey = 0
  let edges = 0
  const hue = new Float64Array(HUE_BINS)
  for (let p = 0; p < n; p++) {
    const r = data[p * 3]! / 255
    const g = data[p * 3 + 1]! / 255
    const b = data[p * 3 + 2]! / 255
    const max = Math.max(r, g, b)
    const min = Math.min(r, g, b)
    const s = max === 0 ? 0 : (max - min) / max
    const y = luma(data, p)
    red.add(r)
    green.add(g)
    blue.add(b)
    saturation.add(s)
    value.add(max)
    brightness.add(y)
    // Hasler & Süsstrunk's opponent channels, for colourfulness.
    redGreen.add(r - g)
    yellowBlue.add(0.5 * (r + g) - b)
    if (y < 0.2) dark++
    if (y > 0.8) bright++
    if (s < 0.15) grey++
    else hue[hueBin(r, g, b, max, min)]! += s
    // Edge strength: luma differences to the right and lower neighbours.
    if ((p % width) + 1 < width) edges += Math.abs(y - luma(data, p + 1))
    if (p + width < n) edges += Math.abs(y - luma(data, p + width))
  }
  const colourfulness =
    Math.hypot(redGreen.std(n), yellowBlue.std(n)) + 0.3 * Math.hypot(redGreen.mean(n), yellowBlue.mean(n))
  return Float32Array.from([
    red.mean(n), green.mean(n), blue.mean(n),
    red.std(n), green.std(n), blue.std(n),
    saturation.mean(n), saturation.std(n),
    value.mean(n), value.std(n),
    brightness.mean(n), brightness.std(n),
    colourfulness,
    dark / n, bright / n, grey / n,
    ...Array.from(hue, (h) => h / n),
    edges / (2 * n),
  ])
}
