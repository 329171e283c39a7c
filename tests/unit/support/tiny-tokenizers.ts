// Tokenizer files built in code for tiny test models (no test-runner import: e2e specs use them too).

/** A BERT-style tokenizer.json (WordPiece) over a dozen words. */
export const WORDPIECE_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a', 'good', 'bad', 'day', 'very', '!', 'un', '##happy', 'happy']
export function wordPieceTokenizer(): object {
  return {
    version: '1.0',
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map((content, id) => ({ id, content, special: true, normalized: false })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', cls: ['[CLS]', 2], sep: ['[SEP]', 3] },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(WORDPIECE_VOCAB.map((t, i) => [t, i])) },
  }
}
