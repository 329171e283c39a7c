// A JSON array read one element at a time, for files too large to parse in one call on the shell's
// event loop (a Label Studio export of 100,000 tasks held it ~1.5 s through JSON.parse). A scanner
// finds where each top-level element begins and ends (outside strings, by bracket depth) across
// the decoded pieces; each element is then given to JSON.parse alone, and the line it starts on
// comes with it. Hand-written rather than a streaming JSON library: the scan is ~50 lines, the
// engine's JSON.parse does the parsing itself (stream-json's tokenizer in JavaScript took 2.5× as
// long as JSON.parse on the same 100,000 tasks), and the libraries give no line numbers.

/** Why the file is not a JSON array: `invalid` JSON (JSON.parse's message), or valid JSON of another shape. */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not-array',
    /** The line on which the element at fault (or the file's content) begins. */
    readonly line?: number,
  ) {
    super(message)
  }
}

export interface JsonElement {
  value: unknown
  /** 1-based line on which the element begins. */
  line: number
}

const NEWLINE = 10
const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const OPEN_ARRAY = 91
const CLOSE_ARRAY = 93
const OPEN_OBJECT = 123
const CLOSE_OBJECT = 125
const isSpace = (c: number): boolean => c === 32 || c === NEWLINE || c === 13 || c === 9

function parse(text: string, line: number): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new JsonArrayError((err as Error).message, 'invalid', line)
  }
}

/**
 * The elements of the JSON array that `parts` spell when joined, in order, each parsed on its own;
 * `turn` is awaited between elements. Throws JsonArrayError when the text is not a JSON array.
 */
export async function jsonArrayElements(parts: readonly string[], turn: () => Promise<void>): Promise<JsonElement[]> {
  const elements: JsonElement[] = []
  let line = 1
  let opened = false // the top-level '[' was seen
  let closed = false // … and its ']'
  let depth = 0 // inside the top-level array: 1
  let inString = false
  let escaped = false
  let pieces: string[] = [] // the current element's text in the parts before this one
  let start = -1 // where the current element's text begins in this part; -1: no element under way
  let elementLine = 0
  let afterComma = false

  for (const part of parts) {
    if (pieces.length > 0) start = 0
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i)
      if (c === NEWLINE) line++
      if (inString) {
        if (escaped) escaped = false
        else if (c === BACKSLASH) escaped = true
        else if (c === QUOTE) inString = false
        continue
      }
      if (isSpace(c)) continue
      if (closed) throw new JsonArrayError('Unexpected non-whitespace character after the array', 'invalid', line)
      if (!opened) {
        if (c !== OPEN_ARRAY) notAnArray(parts)
        opened = true
        depth = 1
        continue
      }
      if (depth === 1 && (c === COMMA || c === CLOSE_ARRAY)) {
        if (start !== -1) {
          pieces.push(part.slice(start, i))
          elements.push({ value: parse(pieces.join(''), elementLine), line: elementLine })
          pieces = []
          start = -1
        } else if (c === COMMA || afterComma) {
          throw new JsonArrayError(`Unexpected "${String.fromCharCode(c)}" where an element belongs`, 'invalid', line)
        }
        afterComma = c === COMMA
        if (c === CLOSE_ARRAY) closed = true
        await turn()
        continue
      }
      if (depth === 1 && start === -1) {
        start = i
        elementLine = line
        afterComma = false
      }
      if (c === QUOTE) inString = true
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++
      else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && --depth < 1) {
        throw new JsonArrayError(`Unexpected "${String.fromCharCode(c)}" that closes nothing`, 'invalid', line)
      }
    }
    // An element under way goes on in the next part.
    if (start !== -1) pieces.push(part.slice(start))
    start = -1
  }
  if (!opened) notAnArray(parts)
  if (!closed) throw new JsonArrayError('Unexpected end of JSON input', 'invalid', pieces.length > 0 ? elementLine : line)
  return elements
}

/**
 * A text this long or shorter that is not an array is parsed whole, only to say whether it is JSON
 * at all (an error path): ~10 ms on the loop. A longer one is not (53 MB held it 1–2 s); it is
 * reported as not an array, which it is either way.
 */
export const NOT_ARRAY_PARSED_UP_TO = 1 << 20

function notAnArray(parts: readonly string[]): never {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  if (length <= NOT_ARRAY_PARSED_UP_TO) parse(parts.join(''), 1)
  throw new JsonArrayError('not an array', 'not-array')
}
