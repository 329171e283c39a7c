// Feature hashing of n-grams into a fixed number of buckets: deterministic, no vocabulary fitted on
// any corpus, so the encoder stays frozen. Each n-gram adds a ±1 sign (from a hash bit the bucket
// does not use) so collisions cancel on average instead of piling up.

/** FNV-1a over UTF-16 code units, 32-bit; `seed` separates the word and character spaces. */
export function fnv1a(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  // A final avalanche, so the low bits used for the bucket depend on every character.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  return h >>> 0
}

/** Word 1- and 2-grams of a token list. */
export function wordNgrams(tokens: readonly string[]): string[] {
  const grams = [...tokens]
  for (let i = 1; i < tokens.length; i++) grams.push(`${tokens[i - 1]} ${tokens[i]}`)
  return grams
}

/** Character n-grams (sizes `min`..`max`) of each token padded with spaces, as in fastText. */
export function charNgrams(tokens: readonly string[], min: number, max: number): string[] {
  const grams: string[] = []
  for (const token of tokens) {
    const padded = ` ${token} `
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n))
    }
  }
  return grams
}

/**
 * Writes the hashed, sublinearly weighted (1 + ln count), L2-normalised n-grams into `out` starting
 * at `offset`, over `buckets` slots (a power of two).
 */
export function hashInto(grams: readonly string[], out: Float32Array, offset: number, buckets: number, seed: number): void {
  const counts = new Map<string, number>()
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1)
  const block = out.subarray(offset, offset + buckets)
  for (const [gram, c] of counts) {
    const h = fnv1a(gram, seed)
    block[h & (buckets - 1)]! += (h >>> 31 ? -1 : 1) * (1 + Math.log(c))
  }
  let norm = 0
  for (const v of block) norm += v * v
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < block.length; i++) block[i]! *= scale
  }
}
