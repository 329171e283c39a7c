// Tokenizers read from hand-made tokenizer.json files; every expected id was worked out by hand
// from the vocabulary and merge list written in the test.
import { describe, expect, it } from 'vitest'
import { toByteLevel } from '#main/features/tokenizers/byte-level'
import { splitBy } from '#main/features/tokenizers/pre-tokenizers'
import { parseTokenizer } from '#main/features/tokenizers/tokenizer'
import { wordPieceTokenizer, WORDPIECE_VOCAB } from './support/onnx-folder'

const ids = (...tokens: string[]): number[] => tokens.map((t) => WORDPIECE_VOCAB.indexOf(t))

describe('WordPiece (BERT)', () => {
  const bert = parseTokenizer(wordPieceTokenizer())

  it('lower-cases, strips accents, splits punctuation and adds [CLS] … [SEP]', () => {
    expect(bert.encode('A VERY góód day!', 32).ids).toEqual(ids('[CLS]', 'a', 'very', 'good', 'day', '!', '[SEP]'))
  })

  it('matches the longest piece first and continues with ##', () => {
    // 'unhappy': 'un' is the longest prefix in the vocabulary, then '##happy'.
    expect(bert.encode('unhappy happy', 32).ids).toEqual(ids('[CLS]', 'un', '##happy', 'happy', '[SEP]'))
  })

  it('maps a word with an unmatched rest to [UNK], and CJK characters to words of their own', () => {
    // 'goodx': 'good' matches, '##x' does not → the whole word is unknown.
    expect(bert.encode('goodx 日a', 32).ids).toEqual(ids('[CLS]', '[UNK]', '[UNK]', 'a', '[SEP]'))
  })

  it('cuts at maxLength, keeping room for the special tokens', () => {
    expect(bert.encode('a good day', 4).ids).toEqual(ids('[CLS]', 'a', 'good', '[SEP]'))
    expect(bert.encode('a good day', 4).typeIds).toEqual([0, 0, 0, 0])
  })

  it('maps special tokens written in the text to their ids', () => {
    expect(bert.encode('a [SEP] day', 32).ids).toEqual(ids('[CLS]', 'a', '[SEP]', 'day', '[SEP]'))
  })

  it('pads with [PAD]', () => {
    expect(bert.padId).toBe(0)
  })
})

describe('byte-level BPE', () => {
  it("maps bytes to GPT-2's printable alphabet", () => {
    expect(toByteLevel('a b\n')).toBe('aĠbĊ')
    // é is C3 A9 in UTF-8; both bytes are printable Latin-1 and map to themselves.
    expect(toByteLevel('é')).toBe('Ã©')
  })

  // GPT-2 style: the ByteLevel pre-tokenizer splits with its regex, spaces go to the next word as 'Ġ'.
  const gpt2Vocab = ['H', 'e', 'l', 'o', 'Ġ', 'w', 'r', 'd', 'll', 'He', 'llo', 'Hello', 'Ġw', 'or', 'Ġwor', 'ld', 'Ġworld', '!']
  const gpt2 = parseTokenizer({
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
    post_processor: { type: 'ByteLevel' },
    model: {
      type: 'BPE',
      vocab: Object.fromEntries(gpt2Vocab.map((t, i) => [t, i])),
      merges: ['l l', 'H e', 'll o', 'He llo', 'Ġ w', 'o r', 'Ġw or', 'l d', ['Ġwor', 'ld']],
    },
  })
  const g = (...tokens: string[]): number[] => tokens.map((t) => gpt2Vocab.indexOf(t))

  it('merges the lowest-ranked pair first until no merge applies', () => {
    // Hello: l+l (0) → H+e (1) → ll+o (2) → He+llo (3). " world": Ġ+w, o+r, Ġw+or, l+d, Ġwor+ld.
    expect(gpt2.encode('Hello world!', 64).ids).toEqual(g('Hello', 'Ġworld', '!'))
  })

  it('drops characters outside the vocabulary when there is no unknown token', () => {
    // 'Hel' + 'x': l has no partner to merge with; x is dropped.
    expect(gpt2.encode('Helx', 64).ids).toEqual(g('He', 'l'))
  })

  // CLIP style: lower-case, a Split regex keeping the matches, byte level without the regex, '</w>'
  // ends each word, <|startoftext|> … <|endoftext|> around the text.
  const clipVocab = ['l', 'o', 'w</w>', 'o</w>', 'ow</w>', 'lo', 'low</w>', 'Ã', '©</w>', 'Ã©</w>', 'c', 'a', 'ca', 'caf', 'f', '!</w>', '<|startoftext|>', '<|endoftext|>']
  const clip = parseTokenizer({
    added_tokens: [
      { id: 16, content: '<|startoftext|>', special: true },
      { id: 17, content: '<|endoftext|>', special: true },
    ],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: "'s|'t|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', 17], cls: ['<|startoftext|>', 16] },
    model: {
      type: 'BPE',
      unk_token: '<|endoftext|>',
      end_of_word_suffix: '</w>',
      vocab: Object.fromEntries(clipVocab.map((t, i) => [t, i])),
      merges: ['o w</w>', 'l o', 'l ow</w>', 'Ã ©</w>', 'c a', 'ca f'],
    },
  })
  const c = (...tokens: string[]): number[] => tokens.map((t) => clipVocab.indexOf(t))

  it("ends words with '</w>' and follows the merge order, not the longest match", () => {
    // low: o+w</w> (rank 0) first, then l+ow</w>; 'lo': 'l o</w>' is no listed merge, so two tokens.
    expect(clip.encode('LOW  lo', 77).ids).toEqual(c('<|startoftext|>', 'low</w>', 'l', 'o</w>', '<|endoftext|>'))
  })

  it('encodes non-ASCII text through its UTF-8 bytes and maps unknown characters to the unknown token', () => {
    // café → c, a, f, Ã, ©</w> → ca, caf; Ã+©</w>. '!' → '!</w>'; '?</w>' is not in the vocabulary.
    // ('!?' written together would be one word, '!' + '?</w>', two unknown tokens.)
    expect(clip.encode('Café! ?', 77).ids).toEqual(c('<|startoftext|>', 'caf', 'Ã©</w>', '!</w>', '<|endoftext|>', '<|endoftext|>'))
  })
})

describe('tokenizer.json checks', () => {
  it('refuses components it does not implement, by name', () => {
    expect(() => parseTokenizer({ model: { type: 'Unigram', vocab: {} } })).toThrow('model type "Unigram" is not supported')
    expect(() => parseTokenizer({ ...wordPieceTokenizer(), pre_tokenizer: { type: 'Metaspace' } })).toThrow('pre_tokenizer type "Metaspace"')
  })

  it('refuses merges whose tokens are not in the vocabulary', () => {
    expect(() => parseTokenizer({ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } })).toThrow('model.merges[0] (a b): "ab" is not in the vocabulary')
  })

  it('splits as HF Split behaviours do', () => {
    const dash = /-/gu
    expect(splitBy('a-b--c', dash, 'Removed')).toEqual(['a', 'b', 'c'])
    expect(splitBy('a-b', dash, 'Isolated')).toEqual(['a', '-', 'b'])
    expect(splitBy('a-b', dash, 'MergedWithPrevious')).toEqual(['a-', 'b'])
    expect(splitBy('a-b', dash, 'MergedWithNext')).toEqual(['a', '-b'])
    expect(splitBy('ab cd', /\w+/gu, 'Removed', true)).toEqual(['ab', 'cd'])
  })
})
