import { describe, expect, it } from 'vitest'
import { majority, mergeTextImage, parseSentiment } from '#main/datasets/label-rules'
import { decodeText } from '#main/datasets/text-decoding'

describe('the standard MVSA merge rule', () => {
  const cases: Array<[string, string, string | null]> = [
    ['positive', 'positive', 'positive'],
    ['positive', 'neutral', 'positive'],
    ['neutral', 'positive', 'positive'],
    ['negative', 'neutral', 'negative'],
    ['neutral', 'negative', 'negative'],
    ['negative', 'negative', 'negative'],
    ['neutral', 'neutral', 'neutral'],
    ['positive', 'negative', null],
    ['negative', 'positive', null],
  ]
  for (const [text, image, expected] of cases) {
    it(`${text} text + ${image} image → ${expected ?? 'conflict'}`, () => {
      const merged = mergeTextImage(text as never, image as never)
      expect(merged.label).toBe(expected)
      expect(merged.conflict).toBe(expected === null)
    })
  }

  it('takes a modality label from MVSA-Multiple only when 2 of 3 agree', () => {
    expect(majority(['positive', 'positive', 'negative'])).toBe('positive')
    expect(majority(['positive', 'neutral', 'negative'])).toBeNull()
  })

  it('reads label words leniently but rejects unknown ones', () => {
    expect(parseSentiment(' Positive ')).toBe('positive')
    expect(parseSentiment('neg')).toBe('negative')
    expect(parseSentiment('')).toBeUndefined()
    expect(parseSentiment('happy')).toBeNull()
  })
})

describe('text decoding', () => {
  it('reads UTF-8 as UTF-8', () => {
    expect(decodeText(Buffer.from('café 😀 “ok”', 'utf8'))).toEqual({ text: 'café 😀 “ok”', encoding: 'utf-8' })
  })

  it('falls back to GB18030 for bytes that are not UTF-8', () => {
    // “中文” … in GB18030: the curly quotes and ellipsis MVSA's non-UTF-8 tweets are full of.
    const gb = Buffer.from([0xa1, 0xb0, 0xd6, 0xd0, 0xce, 0xc4, 0xa1, 0xb1, 0x20, 0xa1, 0xad])
    expect(decodeText(gb)).toEqual({ text: '“中文” …', encoding: 'gb18030' })
  })
})
