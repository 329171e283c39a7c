// Vectors are stored as little-endian BLOBs, whatever the host's byte order: float32 (4 bytes a
// value), or float16 (2 bytes) for the image region grids, which are large and need no more than
// three significant digits. A BLOB's length says which: it must hold exactly `dim` values of one
// of the two, and a dim other than the one expected is refused, so a vector read back is either
// whole and right, or an error that says which row is wrong.

export type Precision = 'float32' | 'float16'

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** IEEE half precision bits of x, rounded to nearest even; overflow gives ±Infinity. */
export function toHalf(x: number): number {
  f32[0] = x
  const bits = u32[0]!
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  let mantissa = bits & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0)
  const e = exponent - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mantissa |= 0x800000
    const shift = 14 - e
    const half = mantissa >>> shift
    const rest = mantissa & ((1 << shift) - 1)
    const midpoint = 1 << (shift - 1)
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0))
  }
  const half = (e << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa moves into the exponent, which is the right rounding.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0))
}

/** The number half precision bits stand for. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >>> 10) & 0x1f
  const mantissa = h & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

export function encodeVector(vector: Float32Array, precision: Precision = 'float32'): Buffer {
  if (precision === 'float16') {
    const out = Buffer.alloc(vector.length * 2)
    for (let i = 0; i < vector.length; i++) out.writeUInt16LE(toHalf(vector[i]!), i * 2)
    return out
  }
  const out = Buffer.alloc(vector.length * 4)
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i]!, i * 4)
  return out
}

const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f

/** `where` names the row in the message (post, encoder, view). */
export function decodeVector(blob: Uint8Array, dim: number, where: string, expectedDim?: number): Float32Array {
  return decodeVectorInto(blob, dim, where, new Float32Array(dim), 0, expectedDim)
}

/** The same, written into `out` from index `at` (a batch's rows decoded in place); returns `out`. */
export function decodeVectorInto(blob: Uint8Array, dim: number, where: string, out: Float32Array, at: number, expectedDim?: number): Float32Array {
  if (expectedDim !== undefined && dim !== expectedDim) throw new Error(`${where}: dimension ${dim}, expected ${expectedDim}`)
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  if (blob.byteLength === dim * 2 && dim > 0) {
    for (let i = 0; i < dim; i++) out[at + i] = fromHalf(view.getUint16(i * 2, true))
    return out
  }
  if (blob.byteLength !== dim * 4) throw new Error(`${where}: ${blob.byteLength} bytes for dimension ${dim} (expected ${dim * 4}), or ${dim * 2} in float16`)
  if (LITTLE_ENDIAN) {
    // The stored bytes are the floats' own bytes on this host: copy them, no per-float decode.
    new Uint8Array(out.buffer, out.byteOffset + at * 4, dim * 4).set(blob)
    return out
  }
  for (let i = 0; i < dim; i++) out[at + i] = view.getFloat32(i * 4, true)
  return out
}
