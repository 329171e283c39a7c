// The feature cache: float32 little-endian BLOBs read back whole or refused, one row per
// (post, encoder, view), and the "what is missing" question extraction starts from.
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { decodeVector, encodeVector } from '#main/db/vector-codec'
import { featureCorpus } from './support/feature-corpus'

describe('vector codec', () => {
  it('writes float32 little-endian and reads the same values back', () => {
    const vector = Float32Array.from([1, -2.5, 3.25e-8, 65504])
    const blob = encodeVector(vector)
    expect(blob.length).toBe(16)
    expect([...blob.subarray(0, 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]) // 1.0f, LE
    expect(decodeVector(blob, 4, 'row')).toEqual(vector)
    // A BLOB need not start on a 4-byte boundary.
    const shifted = Buffer.concat([Buffer.from([9]), blob]).subarray(1)
    expect(decodeVector(shifted, 4, 'row')).toEqual(vector)
  })

  it('refuses a BLOB of the wrong length or an unexpected dimension, naming the row', () => {
    const blob = encodeVector(Float32Array.from([1, 2, 3]))
    expect(() => decodeVector(blob.subarray(0, 10), 3, 'post 7, enc, clean')).toThrow('post 7, enc, clean: 10 bytes for dimension 3 (expected 12)')
    expect(() => decodeVector(blob, 3, 'post 7, enc, clean', 4)).toThrow('post 7, enc, clean: dimension 3, expected 4')
  })
})

describe('features repository', () => {
  it('answers what is missing per (encoder, view), keeps the first vector of a row, and counts', async () => {
    const store = openStore(':memory:')
    const { projectId } = await featureCorpus(store, 3)
    const ids = store.features.posts(projectId).map((p) => p.id)
    const v = (x: number): Float32Array => Float32Array.from([x, x])
    expect(store.features.write([{ postId: ids[0]!, encoder: 'e', view: 'clean', vector: v(1) }])).toBe(1)
    expect(
      store.features.write([
        { postId: ids[0]!, encoder: 'e', view: 'clean', vector: v(9) },
        { postId: ids[1]!, encoder: 'e', view: 'clean', vector: v(2) },
        { postId: ids[1]!, encoder: 'e', view: 'weak:0', vector: v(3) },
      ]),
    ).toBe(2)
    expect(store.features.missing(projectId, 'e', 'clean')).toEqual([ids[2]])
    expect(store.features.missing(projectId, 'e', 'weak:0')).toEqual([ids[0], ids[2]])
    expect(store.features.missing(projectId, 'other', 'clean')).toEqual(ids)
    expect(store.features.readAll(projectId, 'e', 'clean', 2).get(ids[0]!)).toEqual(v(1))
    expect(store.features.counts(projectId)).toEqual([
      { encoder: 'e', view: 'clean', count: 2 },
      { encoder: 'e', view: 'weak:0', count: 1 },
    ])
    const both = [
      { encoder: 'e', view: 'clean' },
      { encoder: 'e', view: 'weak:0' },
    ]
    expect(store.features.complete(projectId, both)).toBe(1)
    expect(() => store.features.readAll(projectId, 'e', 'clean', 3)).toThrow(/dimension 2, expected 3/)
    store.close()
  })

  it('reads many posts\' vectors in the order asked, repeats included, and says which are missing', async () => {
    const store = openStore(':memory:')
    const { projectId } = await featureCorpus(store, 4)
    const ids = store.features.posts(projectId).map((p) => p.id)
    const v = (x: number): Float32Array => Float32Array.from([x, -x])
    store.features.write([0, 1, 3].map((i) => ({ postId: ids[i]!, encoder: 'e', view: 'clean', vector: v(i + 1) })))
    const out = new Float32Array(5 * 2).fill(7)
    // ids[2] has no vector; 12345 is no post at all.
    const missing = store.features.readMany([ids[3]!, ids[2]!, ids[0]!, 12345, ids[3]!], 'e', 'clean', 2, out)
    expect(missing).toEqual([1, 3])
    expect(Array.from(out)).toEqual([4, -4, 7, 7, 1, -1, 7, 7, 4, -4])
    expect(() => store.features.readMany([ids[0]!], 'e', 'clean', 3, new Float32Array(3))).toThrow(/dimension 2, expected 3/)
    store.close()
  })

  it('rolls a whole batch back when one row cannot be written', async () => {
    const store = openStore(':memory:')
    const { projectId } = await featureCorpus(store, 1)
    const [post] = store.features.posts(projectId)
    expect(() =>
      store.features.write([
        { postId: post!.id, encoder: 'e', view: 'clean', vector: Float32Array.from([1]) },
        { postId: 999_999, encoder: 'e', view: 'clean', vector: Float32Array.from([1]) }, // no such post
      ]),
    ).toThrow(/FOREIGN KEY/)
    expect(store.features.counts(projectId)).toEqual([])
    store.close()
  })
})
