// Vectors are stored as float32 little-endian BLOBs, whatever the host's byte order. A BLOB that
// does not hold exactly `dim` floats, or a dim other than the one expected, is refused: a vector
// read back is either whole and right, or an error that says which row is wrong.

export function encodeVector(vector: Float32Array): Buffer {
  const out = Buffer.alloc(vector.length * 4)
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i]!, i * 4)
  return out
}

/** `where` names the row in the message (post, encoder, view). */
export function decodeVector(blob: Uint8Array, dim: number, where: string, expectedDim?: number): Float32Array {
  if (expectedDim !== undefined && dim !== expectedDim) throw new Error(`${where}: dimension ${dim}, expected ${expectedDim}`)
  if (blob.byteLength !== dim * 4) throw new Error(`${where}: ${blob.byteLength} bytes for dimension ${dim} (expected ${dim * 4})`)
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  const out = new Float32Array(dim)
  for (let i = 0; i < dim; i++) out[i] = view.getFloat32(i * 4, true)
  return out
}
