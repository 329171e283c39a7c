// A JSON array read an element at a time across the decoder's pieces (a Label Studio export of
// 100,000 tasks): the same values JSON.parse gives, wherever the pieces are cut, each element with
// the line it starts on; and every way the text can fail to be an array reported as such.
import { describe, expect, it, vi } from 'vitest'
import { jsonArrayElements, JsonArrayError, NOT_ARRAY_PARSED_UP_TO } from '#main/datasets/json-array'

const noTurn = async (): Promise<void> => {}
const read = (parts: string[]) => jsonArrayElements(parts, noTurn)

/** `text` cut into pieces at `cuts` (ascending offsets). */
const cutAt = (text: string, cuts: number[]): string[] => [0, ...cuts].map((from, k) => text.slice(from, [...cuts, text.length][k]))

describe('jsonArrayElements', () => {
  const values: unknown[] = [
    { data: { text: 'brackets ] } [ { and, commas', image: 'a.jpg' } },
    { data: { text: 'a "quote", a \\ backslash\\', nested: [[1, 2], { x: [] }] } },
    'a string, with ] inside',
    42,
    null,
    [],
    { 'é': '中文 \u2028 \n escaped newline' },
  ]
  const pretty = JSON.stringify(values, null, 2)
  // Pretty-printed, each element of the top-level array starts on a line indented by two spaces.
  const startLines = pretty.split('\n').flatMap((l, i) => (/^ {2}\S/.test(l) && !/^ {2}[\]}]/.test(l) ? [i + 1] : []))

  it('gives what JSON.parse gives, and each element’s first line, however the text is cut', async () => {
    expect(startLines).toHaveLength(values.length)
    for (let cut = 0; cut <= pretty.length; cut++) {
      const second = Math.min(pretty.length, cut + 7)
      const elements = await read(cutAt(pretty, [cut, second]))
      expect(elements.map((e) => e.value), `cut at ${cut}`).toEqual(values)
      expect(elements.map((e) => e.line), `cut at ${cut}`).toEqual(startLines)
    }
    const compact = JSON.stringify(values)
    for (let cut = 0; cut <= compact.length; cut++) {
      expect((await read(cutAt(compact, [cut]))).map((e) => e.value)).toEqual(values)
    }
    expect(await read(['  [ ', ' ]\n'])).toEqual([])
  })

  it('turns the loop between elements', async () => {
    let turns = 0
    await jsonArrayElements([JSON.stringify([1, 2, 3])], async () => void turns++)
    expect(turns).toBe(3)
  })

  it('says why a text is not an array: invalid JSON with its line, or another shape', async () => {
    const failure = async (text: string) => {
      const err = await read(cutAt(text, [Math.floor(text.length / 2)])).catch((e: unknown) => e)
      expect(err, text).toBeInstanceOf(JsonArrayError)
      const { kind, line } = err as JsonArrayError
      return { kind, line }
    }
    expect(await failure('{"data": {}}')).toEqual({ kind: 'not-array', line: undefined })
    expect(await failure('\n"just a string"')).toEqual({ kind: 'not-array', line: undefined })
    expect(await failure('{not json')).toEqual({ kind: 'invalid', line: 1 })
    expect(await failure('')).toEqual({ kind: 'invalid', line: 1 })
    expect(await failure('[\n1,\n]')).toEqual({ kind: 'invalid', line: 3 })
    expect(await failure('[\n,1]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1,\n\n,2]')).toEqual({ kind: 'invalid', line: 3 })
    expect(await failure('[1,\n{"a" 1}]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1,\n2 3]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1,\n}]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1,\n{"a": [}]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1]\n[2]')).toEqual({ kind: 'invalid', line: 2 })
    expect(await failure('[1,\n{"a":\n"open')).toEqual({ kind: 'invalid', line: 2 })
  })

  it('does not parse a long text that is not an array whole only to word its error', async () => {
    const big = (body: string) => `{"tasks": "${'x'.repeat(NOT_ARRAY_PARSED_UP_TO)}"${body}`
    const parse = vi.spyOn(JSON, 'parse')
    try {
      for (const text of [big('}'), big(' oops')]) {
        const err = await read(cutAt(text, [1000, 500_000])).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(JsonArrayError)
        expect((err as JsonArrayError).kind).toBe('not-array')
      }
      expect(parse).not.toHaveBeenCalled()
    } finally {
      parse.mockRestore()
    }
  })
})
