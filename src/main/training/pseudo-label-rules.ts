// The no-gradient rules that decide which unlabeled posts teach the model (ALGORITHMS §1.4 b–e,
// §1.13), on plain arrays of logits read back from a step's forward pass.

/** Modal-selection token indices (§1.3): 0 text-private, 1 image-private, 2 common. */
export const TOKENS = ['text', 'image', 'common'] as const
export type Token = (typeof TOKENS)[number]
export const COMMON = 2

export interface Confidence {
  label: Int32Array
  score: Float32Array
}

/** max and argmax of softmax(logits) per row; ties go to the lower class, as torch.max does. */
export function confidence(logits: ArrayLike<number>, classes: number): Confidence {
  const rows = logits.length / classes
  const label = new Int32Array(rows)
  const score = new Float32Array(rows)
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c
    let sum = 0
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c]! - logits[i * classes + best]!)
    label[i] = best
    score[i] = 1 / sum
  }
  return { label, score }
}

/** Per-row cross-entropy (log-softmax + NLL) of logits against class indices. */
export function crossEntropyRows(logits: ArrayLike<number>, classes: number, targets: ArrayLike<number>): Float32Array {
  const out = new Float32Array(targets.length)
  for (let i = 0; i < targets.length; i++) {
    let max = -Infinity
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]!)
    let sum = 0
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c]! - max)
    out[i] = max + Math.log(sum) - logits[i * classes + targets[i]!]!
  }
  return out
}

/** FixMatch's rule and SCDR's (e): 1 where the confidence reaches τ, compared in float32 as PyTorch does. */
export const thresholdMask = (score: ArrayLike<number>, tau: number): Float32Array => Float32Array.from(score, (s) => (s >= Math.fround(tau) ? 1 : 0))

/**
 * SCDR's unimodal label filter (b): a labeled post supervises a unimodal head only when the
 * multimodal head reading that modality's private feature alone already has a CE below
 * `factor`·L_m (factor 0.5 in the released code).
 */
export const labelFilterMask = (ceAlone: ArrayLike<number>, threshold: number): Float32Array =>
  Float32Array.from(ceAlone, (ce) => (ce < threshold ? 1 : 0))

export interface PlfInput {
  /** The selected token of the post's weak view. */
  selected: number
  /** CE of the text head reading the common feature against the text head's pseudo-label. */
  ceText: number
  /** The same for the image head. */
  ceImage: number
  /** factor·L_sup of the step (factor 1.0). */
  threshold: number
}

/** PLF (d): a post whose fused prediction rests on the common feature is dropped when that feature disagrees with either unimodal pseudo-label. */
export const plfDrops = (p: PlfInput): boolean => p.selected === COMMON && (p.ceText > p.threshold || p.ceImage > p.threshold)

/**
 * A pseudo-label's PLF verdict: where the rule ran, the numbers it judged (a run stores those, and the
 * review queue puts them in words a page at a time: 100,000 sentences written at the end of a run
 * were a third of its write); where it did not, why.
 */
export type PlfVerdict = { decision: 'kept' | 'filtered'; evidence: PlfInput } | { decision: 'not-applicable'; reason: string }

export const plfVerdict = (p: PlfInput): PlfVerdict => ({ decision: plfDrops(p) ? 'filtered' : 'kept', evidence: p })

/** The evidence of a stored verdict, or null when a part of it is missing (a row without the rule's numbers). */
export function plfInputOf(modality: string | null, ceText: number | null, ceImage: number | null, threshold: number | null): PlfInput | null {
  const selected = TOKENS.indexOf(modality as Token)
  return selected < 0 || ceText === null || ceImage === null || threshold === null ? null : { selected, ceText, ceImage, threshold }
}

/** The decision in words, for the review queue. */
export function plfReason(p: PlfInput): string {
  if (p.selected !== COMMON) return `${TOKENS[p.selected]}-private feature selected: PLF checks only posts resting on the common feature`
  const fmt = (x: number): string => x.toFixed(3)
  const against = (head: string, ce: number): string => `${head} head on the common feature disagrees with the ${head} pseudo-label (CE ${fmt(ce)} > ${fmt(p.threshold)})`
  if (p.ceText > p.threshold) return against('text', p.ceText)
  if (p.ceImage > p.threshold) return against('image', p.ceImage)
  return `common feature agrees with both unimodal pseudo-labels (CE text ${fmt(p.ceText)}, image ${fmt(p.ceImage)} ≤ ${fmt(p.threshold)})`
}

/**
 * FlexMatch's class-wise thresholds (USB): each unlabeled post remembers the last class it was
 * confidently (≥ τ) predicted as, −1 until then; β_c = σ_c / max σ (with warm-up the −1 count takes
 * part in the max; without, it does not), refreshed unless every post sits in one bucket; the mask
 * uses the convex mapping τ·β/(2 − β).
 */
export class FlexMatchThresholds {
  readonly selected: Int32Array
  readonly beta: Float64Array

  constructor(
    unlabeled: number,
    private readonly classes: number,
    private readonly warmup: boolean,
  ) {
    this.selected = new Int32Array(unlabeled).fill(-1)
    this.beta = new Float64Array(classes)
  }

  /** The mask of one batch, with the thresholds as they were before it; then the update (USB's order). */
  maskAndUpdate(indices: ArrayLike<number>, c: Confidence, tau: number): Float32Array {
    const mask = new Float32Array(indices.length)
    for (let i = 0; i < indices.length; i++) {
      const b = this.beta[c.label[i]!]!
      mask[i] = c.score[i]! >= Math.fround((tau * b) / (2 - b)) ? 1 : 0
    }
    for (let i = 0; i < indices.length; i++) if (c.score[i]! >= Math.fround(tau)) this.selected[indices[i]!] = c.label[i]!
    this.refresh()
    return mask
  }

  /** Restores a checkpoint's state; β is kept as saved, since a skipped refresh leaves it behind `selected`. */
  restore(selected: ArrayLike<number>, beta: ArrayLike<number>): void {
    this.selected.set(selected)
    this.beta.set(beta)
  }

  private refresh(): void {
    const counts = new Map<number, number>()
    for (const label of this.selected) counts.set(label, (counts.get(label) ?? 0) + 1)
    const all = Math.max(...counts.values())
    if (all >= this.selected.length) return
    const denominator = this.warmup ? all : Math.max(0, ...[...counts].filter(([label]) => label !== -1).map(([, n]) => n))
    for (let k = 0; k < this.classes; k++) this.beta[k] = (counts.get(k) ?? 0) / denominator
  }
}
