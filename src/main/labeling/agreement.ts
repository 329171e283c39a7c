// Inter-annotator agreement on nominal labels: Cohen's κ for a pair of annotators on the posts
// both labeled, Krippendorff's α over everyone. Both are undefined when chance agreement is
// total (one category throughout); they answer null with the reason then, never NaN.

export interface Measure {
  value: number | null
  reason?: string
}

/** One annotator's label of one post. */
export interface Rating<L extends string = string> {
  annotator: string
  postId: number
  label: L
}

/** Cohen's κ = (p_o − p_e) / (1 − p_e), over two equally long lists of paired labels. */
export function cohenKappa(a: readonly string[], b: readonly string[]): Measure & { agreed: number } {
  const n = a.length
  const agreed = a.filter((label, i) => label === b[i]).length
  if (n === 0) return { value: null, reason: 'no posts labeled by both', agreed }
  const countA = tally(a)
  const countB = tally(b)
  // Scaled by n² to stay in integers: p_e·n² = Σ a_c·b_c, p_o·n² = n·agreed.
  let chance = 0
  for (const [label, na] of countA) chance += na * (countB.get(label) ?? 0)
  if (chance === n * n) {
    return { value: null, reason: `undefined: both gave “${a[0]}” to every shared post, so chance agreement is total`, agreed }
  }
  return { value: (n * agreed - chance) / (n * n - chance), agreed }
}

/**
 * Krippendorff's α for nominal data: 1 − (n − 1)·Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1) / (n² − Σ_c n_c²),
 * over units (posts) with at least two values; n counts those values, n_c per category.
 */
export function krippendorffAlpha(units: ReadonlyArray<readonly string[]>): Measure & { units: number } {
  const pairable = units.filter((u) => u.length >= 2)
  const totals = new Map<string, number>()
  let observed = 0
  for (const unit of pairable) {
    const counts = tally(unit)
    let same = 0
    for (const [label, c] of counts) {
      same += c * c
      totals.set(label, (totals.get(label) ?? 0) + c)
    }
    observed += (unit.length * unit.length - same) / (unit.length - 1)
  }
  const n = [...totals.values()].reduce((s, c) => s + c, 0)
  if (n === 0) return { value: null, reason: 'no post has labels from two annotators', units: 0 }
  const expected = n * n - [...totals.values()].reduce((s, c) => s + c * c, 0)
  if (expected === 0) {
    return { value: null, reason: `undefined: every label is “${[...totals.keys()][0]}”, so there is no variation to agree on`, units: pairable.length }
  }
  return { value: 1 - ((n - 1) * observed) / expected, units: pairable.length }
}

export interface PairResult {
  a: string
  b: string
  posts: number
  agreed: number
  kappa: Measure
}

export interface AgreementResult<L extends string> {
  annotators: Array<{ annotator: string; posts: number }>
  pairs: PairResult[]
  alpha: Measure & { units: number }
  /** Posts whose annotators did not all agree, with each one's label, by post id. */
  disagreements: Array<{ postId: number; labels: Array<{ annotator: string; label: L }> }>
}

/** Everything the agreement view shows, from each annotator's latest label per post. */
export function agreement<L extends string>(ratings: ReadonlyArray<Rating<L>>): AgreementResult<L> {
  const byAnnotator = new Map<string, Map<number, L>>()
  const byPost = new Map<number, Array<{ annotator: string; label: L }>>()
  for (const r of ratings) {
    let own = byAnnotator.get(r.annotator)
    if (!own) byAnnotator.set(r.annotator, (own = new Map()))
    own.set(r.postId, r.label)
    let unit = byPost.get(r.postId)
    if (!unit) byPost.set(r.postId, (unit = []))
    unit.push({ annotator: r.annotator, label: r.label })
  }
  const names = [...byAnnotator.keys()].sort((x, y) => x.localeCompare(y))
  const pairs: PairResult[] = []
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const [a, b] = [byAnnotator.get(names[i]!)!, byAnnotator.get(names[j]!)!]
      const shared = [...a.keys()].filter((post) => b.has(post))
      const kappa = cohenKappa(shared.map((p) => a.get(p)!), shared.map((p) => b.get(p)!))
      pairs.push({ a: names[i]!, b: names[j]!, posts: shared.length, agreed: kappa.agreed, kappa })
    }
  }
  const units = [...byPost.values()]
  const disagreements = [...byPost]
    .filter(([, unit]) => unit.length >= 2 && new Set(unit.map((u) => u.label)).size > 1)
    .map(([postId, unit]) => ({ postId, labels: [...unit].sort((x, y) => x.annotator.localeCompare(y.annotator)) }))
    .sort((x, y) => x.postId - y.postId)
  return {
    annotators: names.map((annotator) => ({ annotator, posts: byAnnotator.get(annotator)!.size })),
    pairs,
    alpha: krippendorffAlpha(units.map((u) => u.map((x) => x.label))),
    disagreements,
  }
}

function tally(labels: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1)
  return counts
}
