// Neighbourhood evidence for the label check (issue 15, part 2): nearest neighbours by cosine
// similarity (a row is never its own neighbour; ties go to the lower row) and the Laplace-smoothed
// label shares of those neighbours, on hand-checkable rows.
import { describe, expect, it } from 'vitest'
import { nearestNeighbours, neighbourLabelProbabilities } from '#main/review/neighbour-labels'

describe('neighbour labels', () => {
  // Five rows in 2-d: rows 0, 1, 2 point right (0 and 2 are the same direction at different
  // lengths, 1 a little up), rows 3 and 4 point up.
  const x = Float32Array.from([1, 0, 1, 0.2, 3, 0, 0, 1, 0.1, 2])

  it('finds the most cosine-similar other rows, whatever their length, most similar first', () => {
    const nb = nearestNeighbours(x, 5, 2, 2)
    // Row 0: row 2 (cos 1), then row 1 (cos 0.98). Row 3: row 4 (cos 0.999), then row 1 (cos 0.196).
    expect(Array.from(nb.subarray(0, 2))).toEqual([2, 1])
    expect(Array.from(nb.subarray(6, 8))).toEqual([4, 1])
    // Row 2 has the same direction as row 0: row 0 first, then row 1; never itself.
    expect(Array.from(nb.subarray(4, 6))).toEqual([0, 1])
    for (let r = 0; r < 5; r++) expect(Array.from(nb.subarray(r * 2, r * 2 + 2))).not.toContain(r)
  })

  it('breaks ties in similarity by the lower row', () => {
    // Rows 1, 2 and 3 are the same direction: row 0's two neighbours are 1 and 2, not 3.
    const same = Float32Array.from([1, 0, 2, 0, 3, 0, 4, 0])
    expect(Array.from(nearestNeighbours(same, 4, 2, 2).subarray(0, 2))).toEqual([1, 2])
  })

  it('turns the neighbours’ labels into smoothed shares: (count + 1) / (k + classes)', () => {
    const nb = nearestNeighbours(x, 5, 2, 2)
    // Labels: the right-pointing rows 0, 1 are class 0 and row 2 is class 1; the up-pointing rows class 2.
    const p = neighbourLabelProbabilities(nb, 2, [0, 0, 1, 2, 2], 3)
    // Row 0's neighbours (2, 1) carry labels 1 and 0: (1 + 1) / 5, (1 + 1) / 5, 1 / 5.
    expect(Array.from(p.subarray(0, 3))).toEqual([0.4, 0.4, 0.2].map((v) => expect.closeTo(v, 12)))
    // Row 3's neighbours (4, 1) carry labels 2 and 0.
    expect(Array.from(p.subarray(9, 12))).toEqual([0.4, 0.2, 0.4].map((v) => expect.closeTo(v, 12)))
    for (let r = 0; r < 5; r++) expect(p[r * 3]! + p[r * 3 + 1]! + p[r * 3 + 2]!).toBeCloseTo(1, 12)
  })

  it('says what is wrong with k', () => {
    expect(() => nearestNeighbours(x, 5, 2, 5)).toThrow(/k = 5 needs 1 ≤ k < rows \(5\)/)
    expect(() => neighbourLabelProbabilities(new Int32Array(4), 2, [0, 1, 2], 3)).toThrow(/4 neighbours for 3 rows/)
  })
})
