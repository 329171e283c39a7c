// Agreement math against values worked out by hand in the comments.
import { describe, expect, it } from 'vitest'
import { agreement, cohenKappa, krippendorffAlpha } from '#main/labeling/agreement'

const letters = (s: string): string[] => [...s]

// Ten posts, two annotators (p positive, n negative, u neutral):
//   A  p p p n n n u u u p
//   B  p p n n n u u u p p
// Agreed on 7: p_o = 0.7. A gives p 4, n 3, u 3; B gives p 4, n 3, u 3.
// p_e = (4·4 + 3·3 + 3·3) / 100 = 0.34, κ = (0.7 − 0.34) / (1 − 0.34) = 0.36 / 0.66 = 6/11.
const A = letters('pppnnnuuup')
const B = letters('ppnnnuuupp')

describe("Cohen's κ", () => {
  it('matches a hand-computed 10-post table', () => {
    const k = cohenKappa(A, B)
    expect(k.agreed).toBe(7)
    expect(k.value).toBeCloseTo(6 / 11, 12)
  })

  it('is 1 for perfect agreement and 0 at chance', () => {
    expect(cohenKappa(A, A).value).toBe(1)
    // A: p p n n, B: p n p n. p_o = 0.5, p_e = (2·2 + 2·2)/16 = 0.5, κ = 0.
    expect(cohenKappa(letters('ppnn'), letters('pnpn')).value).toBe(0)
  })

  it('is undefined, with the reason, when both used one category throughout', () => {
    const k = cohenKappa(letters('ppp'), letters('ppp'))
    expect(k.value).toBeNull()
    expect(k.reason).toMatch(/^undefined: both gave “p” to every shared post/)
    expect(cohenKappa([], [])).toEqual({ value: null, reason: 'no posts labeled by both', agreed: 0 })
  })

  it('is defined when only one annotator kept to one category', () => {
    // A: p p p p, B: p p n n. p_o = 0.5, p_e = (4·2)/16 = 0.5, κ = 0.
    expect(cohenKappa(letters('pppp'), letters('ppnn')).value).toBe(0)
  })
})

describe("Krippendorff's α (nominal)", () => {
  it('matches a hand-computed two-coder table', () => {
    // The same ten posts: n = 20 values, n_p = 8, n_n = 6, n_u = 6. Each disagreeing post adds
    // (2² − 1 − 1)/(2 − 1) = 2 to the observed sum, agreeing ones 0: 3 disagreements → 6.
    // α = 1 − (n − 1)·6 / (n² − Σ n_c²) = 1 − 19·6 / (400 − 136) = 1 − 114/264 = 25/44.
    const a = krippendorffAlpha(A.map((x, i) => [x, B[i]!]))
    expect(a.units).toBe(10)
    expect(a.value).toBeCloseTo(25 / 44, 12)
  })

  it('handles three annotators and missing values', () => {
    // Units: [p p p] adds (9 − 9)/2 = 0; [p n] adds (4 − 2)/1 = 2; [n n u] adds (9 − 5)/2 = 2;
    // [u] cannot pair and is left out. n_p = 4, n_n = 3, n_u = 1, n = 8, Σ n_c² = 26.
    // α = 1 − 7·4 / (64 − 26) = 1 − 28/38 = 5/19.
    const a = krippendorffAlpha([letters('ppp'), letters('pn'), letters('nnu'), letters('u')])
    expect(a.units).toBe(3)
    expect(a.value).toBeCloseTo(5 / 19, 12)
  })

  it('is 1 for perfect agreement, and undefined with one category or no pairs', () => {
    expect(krippendorffAlpha([letters('pp'), letters('nn'), letters('uuu')]).value).toBe(1)
    const single = krippendorffAlpha([letters('pp'), letters('ppp')])
    expect(single.value).toBeNull()
    expect(single.reason).toMatch(/^undefined: every label is “p”/)
    expect(krippendorffAlpha([letters('p'), []])).toEqual({ value: null, reason: 'no post has labels from two annotators', units: 0 })
  })
})

describe('the agreement report', () => {
  it('gives κ per pair on shared posts, α over all, and the disagreements by post', () => {
    const ratings = [
      ...A.map((label, i) => ({ annotator: 'ann', postId: i + 1, label })),
      ...B.map((label, i) => ({ annotator: 'bob', postId: i + 1, label })),
      // cy labels posts 1, 3 and 11 (11 alone: in no pair, not in α).
      { annotator: 'cy', postId: 1, label: 'p' },
      { annotator: 'cy', postId: 3, label: 'p' },
      { annotator: 'cy', postId: 11, label: 'u' },
    ]
    const report = agreement(ratings)
    expect(report.annotators).toEqual([
      { annotator: 'ann', posts: 10 },
      { annotator: 'bob', posts: 10 },
      { annotator: 'cy', posts: 3 },
    ])
    expect(report.pairs.map((p) => [p.a, p.b, p.posts, p.agreed])).toEqual([
      ['ann', 'bob', 10, 7],
      ['ann', 'cy', 2, 2],
      ['bob', 'cy', 2, 1],
    ])
    expect(report.pairs[0]!.kappa.value).toBeCloseTo(6 / 11, 12)
    // ann and cy agree on two posts, both p: chance agreement is total.
    expect(report.pairs[1]!.kappa.value).toBeNull()
    // bob/cy: (p,p) and (n,p). p_o = 1/2; bob p 1, n 1; cy p 2: p_e = 2/4; κ = 0.
    expect(report.pairs[2]!.kappa.value).toBe(0)
    expect(report.alpha.units).toBe(10)
    expect(report.disagreements).toEqual([
      { postId: 3, labels: [{ annotator: 'ann', label: 'p' }, { annotator: 'bob', label: 'n' }, { annotator: 'cy', label: 'p' }] },
      { postId: 6, labels: [{ annotator: 'ann', label: 'n' }, { annotator: 'bob', label: 'u' }] },
      { postId: 9, labels: [{ annotator: 'ann', label: 'u' }, { annotator: 'bob', label: 'p' }] },
    ])
  })
})
