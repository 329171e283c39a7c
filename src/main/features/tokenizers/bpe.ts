// The BPE model, for byte-level vocabularies (GPT-2, RoBERTa, CLIP) and character ones: a word
// starts as its characters (the last one with end_of_word_suffix, as CLIP's '</w>'; the others with
// continuing_subword_prefix when set), then the adjacent pair of lowest merge rank is merged until
// no listed merge applies.
import { UnsupportedTokenizer, type Spec } from './spec'
import type { WordModel } from './wordpiece'

/** Merges are written "a b" (older files) or ["a", "b"] (newer ones). */
function mergePair(merge: unknown, index: number): [string, string] {
  if (Array.isArray(merge) && merge.length === 2) return [String(merge[0]), String(merge[1])]
  if (typeof merge === 'string') {
    const space = merge.indexOf(' ', 1)
    if (space > 0) return [merge.slice(0, space), merge.slice(space + 1)]
  }
  throw new UnsupportedTokenizer(`model.merges[${index}]: expected "a b" or ["a", "b"], got ${JSON.stringify(merge)}`)
}

export function makeBpe(spec: Spec, vocab: ReadonlyMap<string, number>): WordModel {
  if (typeof spec.dropout === 'number' && spec.dropout > 0) throw new UnsupportedTokenizer('model: BPE dropout is random, not a frozen encoder')
  if (spec.byte_fallback === true) throw new UnsupportedTokenizer('model: BPE byte_fallback is not supported')
  const prefix = typeof spec.continuing_subword_prefix === 'string' ? spec.continuing_subword_prefix : ''
  const suffix = typeof spec.end_of_word_suffix === 'string' ? spec.end_of_word_suffix : ''
  const unkToken = spec.unk_token === null || spec.unk_token === undefined ? undefined : String(spec.unk_token)
  if (unkToken !== undefined && !vocab.has(unkToken)) throw new UnsupportedTokenizer(`model: unk_token ${JSON.stringify(unkToken)} is not in the vocabulary`)
  const fuseUnk = spec.fuse_unk === true
  // The merged token drops b's continuing prefix.
  const join = (a: string, b: string): string => a + (prefix && b.startsWith(prefix) ? b.slice(prefix.length) : b)
  // "a b" → its rank. Checked here so that every merge result is known to have an id.
  const ranks = new Map<string, number>()
  ;((spec.merges as unknown[]) ?? []).forEach((m, i) => {
    const [a, b] = mergePair(m, i)
    const missing = [a, b, join(a, b)].find((t) => !vocab.has(t))
    if (missing !== undefined) throw new UnsupportedTokenizer(`model.merges[${i}] (${a} ${b}): ${JSON.stringify(missing)} is not in the vocabulary`)
    ranks.set(`${a} ${b}`, i)
  })
  const cache = new Map<string, number[]>()

  const encodeWord = (word: string): number[] => {
    if (spec.ignore_merges === true && vocab.has(word + suffix)) return [vocab.get(word + suffix)!]
    const chars = Array.from(word)
    // Characters outside the vocabulary become the unknown token (one per run with fuse_unk), or
    // are dropped when there is none, before any merge, as HF does.
    let symbols: string[] = []
    chars.forEach((c, i) => {
      const symbol = (i > 0 ? prefix : '') + c + (i === chars.length - 1 ? suffix : '')
      if (vocab.has(symbol)) symbols.push(symbol)
      else if (unkToken !== undefined && !(fuseUnk && symbols.at(-1) === unkToken)) symbols.push(unkToken)
    })
    for (;;) {
      let best = -1
      let bestRank = Infinity
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = ranks.get(`${symbols[i]} ${symbols[i + 1]}`)
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank
          best = i
        }
      }
      if (best < 0) break
      symbols = [...symbols.slice(0, best), join(symbols[best]!, symbols[best + 1]!), ...symbols.slice(best + 2)]
    }
    return symbols.map((symbol) => vocab.get(symbol)!)
  }

  return (word) => {
    let ids = cache.get(word)
    if (!ids) {
      ids = encodeWord(word)
      if (cache.size < 50_000) cache.set(word, ids)
    }
    return ids
  }
}
