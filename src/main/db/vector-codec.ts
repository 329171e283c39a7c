// Vectors are stored as float32 little-endian BLOBs, whatever the host's byte order. A BLOB that
// does not hold exactly `dim` floats, or a dim other than the one expected, is refused: a vector
// read back is either whole and right, or an error that says which row is wrong.

export function encodeVector(vector: Float32Array): Buffer {
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
  if (blob.byteLength !== dim * 4) throw new Error(`${where}: ${blob.byteLength} bytes for dimension ${dim} (expected ${dim * 4})`)
  if (LITTLE_ENDIAN) {
    // The stored bytes are the floats' own bytes on this host: copy them, no per-float decode.
    new Uint8Array(out.buffer, out.byteOffset + at * 4, dim * 4).set(blob)
    return out
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  for (let i = 0; i < dim; i++) out[at + i] = view.getFloat32(i * 4, true)
  return out
}
