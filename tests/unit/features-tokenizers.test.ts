// Tokenizers read by @huggingface/tokenizers from hand-made tokenizer.json files. Every expected id
// was worked out by hand from the vocabulary, merge list or scores written in the test, and agrees
// with what HuggingFace's own (Rust) tokenizers give for the same file.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadTokenizer, parseTokenizer } from '#main/features/tokenizers/tokenizer'
import { unigramTokenizer, UNIGRAM_VOCAB, wordPieceTokenizer, WORDPIECE_VOCAB } from './support/onnx-folder'
import { tempDir } from './support/temp'

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
  // GPT-2 style: the ByteLevel pre-tokenizer splits with its regex, spaces go to the next word as 'Ġ'.
  const gpt2Vocab = ['H', 'e', 'l', 'o', 'Ġ', 'w', 'r', 'd', 'll', 'He', 'llo', 'Hello', 'Ġw', 'or', 'Ġwor', 'ld', 'Ġworld', '!']
  const gpt2 = parseTokenizer({
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
    post_processor: { type: 'ByteLevel' },
    model: {
      type: 'BPE',
      vocab: Object.fromEntries(gpt2Vocab.map((t, i) => [t, i])),
      // Newer files write each merge as a pair, older ones (the CLIP one below) as "a b".
      merges: [['l', 'l'], ['H', 'e'], ['ll', 'o'], ['He', 'llo'], ['Ġ', 'w'], ['o', 'r'], ['Ġw', 'or'], ['l', 'd'], ['Ġwor', 'ld']],
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

describe('Unigram (SentencePiece)', () => {
  const xlmr = parseTokenizer(unigramTokenizer())
  const u = (...pieces: string[]): number[] => pieces.map((p) => UNIGRAM_VOCAB.findIndex(([piece]) => piece === p))

  it('picks the split of each word with the highest total score, not the longest piece', () => {
    // "unhappy day" → "▁unhappy", "▁day". ▁un + happy = -3 - 3.5 = -6.5 beats ▁unhappy = -7.5;
    // ▁day = -3 beats ▁d + ay = -9. "happy" → "▁happy": ▁happy = -4 beats ▁ + happy = -5.5.
    expect(xlmr.encode('unhappy day', 32).ids).toEqual(u('<s>', '▁un', 'happy', '▁day', '</s>'))
    expect(xlmr.encode('happy', 32).ids).toEqual(u('<s>', '▁happy', '</s>'))
  })

  it('maps a run of unknown characters to one <unk>', () => {
    // "▁xyz!": ▁ (-2), then x, y, z are in no piece: each costs the lowest score minus 10
    // (-7.5 - 10 = -17.5) and the run is fused into one <unk>; then ! (-3).
    expect(xlmr.encode('happy xyz!', 32).ids).toEqual(u('<s>', '▁happy', '▁', '<unk>', '!', '</s>'))
  })

  it('normalizes with NFKC and collapses runs of spaces before marking words with ▁', () => {
    // Full-width "ａ  ｇｏｏｄ" → "a  good" → "a good" → ▁a ▁good (without the collapse: ▁a ▁ ▁good).
    expect(xlmr.encode('ａ  ｇｏｏｄ day', 32).ids).toEqual(u('<s>', '▁a', '▁good', '▁day', '</s>'))
  })

  it('cuts at maxLength keeping room for <s> and </s>, and pads with <pad>', () => {
    expect(xlmr.encode('unhappy day', 4)).toEqual({ ids: u('<s>', '▁un', 'happy', '</s>'), typeIds: [0, 0, 0, 0] })
    expect(xlmr.padId).toBe(1)
    expect(parseTokenizer({ ...unigramTokenizer(), padding: { pad_id: 3 } }).padId).toBe(3)
  })
})

describe('tokenizer.json checks', () => {
  const wordPiece = (pre_tokenizer: object, vocab: string[]): ReturnType<typeof parseTokenizer> =>
    parseTokenizer({ pre_tokenizer, model: { type: 'WordPiece', unk_token: '[UNK]', vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) } })

  it('refuses model types and components the library does not implement, naming the file', () => {
    expect(() => parseTokenizer({ model: { type: 'WordLevel', vocab: { a: 0 }, unk_token: 'a' } }, 'my-tokenizer.json')).toThrow(
      'my-tokenizer.json: model type "WordLevel" is not supported (supported: BPE, Unigram, WordPiece)',
    )
    expect(() => parseTokenizer({ ...wordPieceTokenizer(), pre_tokenizer: { type: 'UnicodeScripts' } })).toThrow(
      'tokenizer.json: @huggingface/tokenizers cannot read it (Unknown PreTokenizer type: UnicodeScripts)',
    )
  })

  it('refuses a Split the library would read otherwise than HuggingFace', () => {
    expect(() => wordPiece({ type: 'Split', pattern: { String: '-' }, behavior: 'MergedWithPrevious', invert: false }, ['[UNK]'])).toThrow(
      'tokenizer.json: pre_tokenizer: Split with behavior "MergedWithPrevious" is not supported',
    )
  })

  it('refuses an unknown token or merges that are not in the vocabulary', () => {
    expect(() => wordPiece({ type: 'BertPreTokenizer' }, ['a'])).toThrow('tokenizer.json: model.unk_token "[UNK]" is not in the vocabulary')
    expect(() => parseTokenizer({ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } })).toThrow('model.merges[0] ("a b"): "ab" is not in the vocabulary')
  })

  it('splits Whitespace, Punctuation and Metaspace words as HuggingFace does', () => {
    // \w is Unicode-aware in HF: 'héllo' is one word. Each punctuation mark is its own word ('!?' → '!', '?').
    const marks = wordPiece({ type: 'Sequence', pretokenizers: [{ type: 'Whitespace' }, { type: 'Punctuation', behavior: 'Isolated' }] }, ['[UNK]', 'héllo', 'wow', '!', '?', '!?'])
    expect(marks.encode('héllo wow!?', 32).ids).toEqual([1, 2, 3, 4])
    // Metaspace cuts before each ▁: "ab cd" → ▁ab, ▁cd (not the one piece ▁ab▁cd).
    const spaces = wordPiece({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, ['[UNK]', '▁ab', '▁cd', '▁ab▁cd'])
    expect(spaces.encode('ab cd', 32).ids).toEqual([1, 2])
  })

  it('names the file it cannot read', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'broken.json'), '{"model": ')
    await expect(loadTokenizer(path.join(dir, 'broken.json'))).rejects.toThrow(/^broken\.json: not readable JSON \(/)
    await expect(loadTokenizer(path.join(dir, 'absent.json'))).rejects.toThrow('absent.json: missing')
  })
})
