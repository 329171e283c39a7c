// Helpers for reading the components of a HuggingFace tokenizer.json. Every component is an object
// with a "type"; anything this implementation does not support is refused by name, never guessed.

export type Spec = Record<string, unknown> & { type?: string }

export class UnsupportedTokenizer extends Error {}

export function componentType(spec: unknown, where: string): string {
  if (!spec || typeof spec !== 'object' || typeof (spec as Spec).type !== 'string') {
    throw new UnsupportedTokenizer(`${where} has no "type"`)
  }
  return (spec as Spec).type!
}

export function unsupported(where: string, type: string, supported: readonly string[]): never {
  throw new UnsupportedTokenizer(`${where} type "${type}" is not supported (supported: ${supported.join(', ')})`)
}

/** A pattern as tokenizer.json writes it: {"String": "…"} (literal) or {"Regex": "…"}; always global and Unicode. */
export function pattern(spec: unknown, where: string): RegExp {
  const p = spec as { String?: unknown; Regex?: unknown } | null
  if (typeof p?.String === 'string') return new RegExp(p.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu')
  if (typeof p?.Regex === 'string') {
    try {
      return new RegExp(p.Regex, 'gu')
    } catch (error) {
      throw new UnsupportedTokenizer(`${where}: regex ${JSON.stringify(p.Regex)} does not compile in JavaScript (${(error as Error).message})`)
    }
  }
  throw new UnsupportedTokenizer(`${where}: pattern must be {"String": …} or {"Regex": …}`)
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/
/** BERT's punctuation: ASCII symbols count too ('$', '+', '^' …), besides Unicode's P* classes. */
export const isPunctuation = (c: string): boolean => ASCII_PUNCTUATION.test(c) || /\p{P}/u.test(c)
export const isWhitespace = (c: string): boolean => /^[\t\n\r\p{Zs}]$/u.test(c)
