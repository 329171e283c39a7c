// A decoded file's lines across the decoder's pieces (MVSA's label file and splits.csv, JSONL):
// the same lines, numbered, as one split of the joined text, wherever the pieces are cut.
import { describe, expect, it } from 'vitest'
import { eachLineInTurns } from '#main/datasets/lines-in-turns'

const linesOf = async (parts: string[]): Promise<Array<[number, string]>> => {
  const lines: Array<[number, string]> = []
  await eachLineInTurns(parts, (line, n) => lines.push([n, line]), async () => {})
  return lines
}

describe('eachLineInTurns', () => {
  it('gives the lines of the joined text with their numbers, for every cut into two and three pieces', async () => {
    const text = 'ID\ttext,image\r\n1\tpositive,neutral\n\n22\tnegative,negative\r\n3\tneutral,positive'
    const expected = text.split(/\r?\n/).map((line, i): [number, string] => [i + 1, line])
    for (let a = 0; a <= text.length; a++) {
      expect(await linesOf([text.slice(0, a), text.slice(a)]), `cut at ${a}`).toEqual(expected)
      const b = Math.min(text.length, a + 7)
      expect(await linesOf([text.slice(0, a), text.slice(a, b), text.slice(b)]), `cuts at ${a}, ${b}`).toEqual(expected)
    }
  })

  it('gives an empty last line after a final newline, and one empty line for an empty text', async () => {
    expect(await linesOf(['a\n'])).toEqual([[1, 'a'], [2, '']])
    expect(await linesOf([''])).toEqual([[1, '']])
    expect(await linesOf([])).toEqual([[1, '']])
  })

  it('awaits its turn before each line', async () => {
    let turns = 0
    await eachLineInTurns(['a\nb\nc'], () => undefined, async () => void turns++)
    expect(turns).toBe(3)
  })
})
