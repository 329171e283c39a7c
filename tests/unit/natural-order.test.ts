// Post ids and file names sort as a person reads them, the same way whichever path the sort takes:
// the order is localeCompare's ('en', numeric), which a folder import and the folder browser used.
import { describe, expect, it } from 'vitest'
import { sortNatural } from '#main/core/natural-order'

const byLocale = (names: string[]): string[] => [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))

describe('natural order', () => {
  it('tweet ids (digits only) in numeric order, as localeCompare puts them', () => {
    let seed = 7
    const next = (): number => (seed = (seed * 48271) % 2147483647)
    const ids = Array.from({ length: 2000 }, () => `${1 + (next() % 9)}${String(next()).slice(0, next() % 18)}`)
    ids.push('5', '50', '500', '49', '1000000000000000000', '999999999999999999')
    expect(sortNatural([...ids])).toEqual(byLocale(ids))
  })

  it('names with letters as localeCompare puts them: numbers inside by value, case folded', () => {
    const names = ['post10', 'post2', 'Post1', 'a', 'B', 'img_3.jpg', 'img_20.jpg', '007', '7', 'x1y10', 'x1y9']
    expect(sortNatural([...names])).toEqual(byLocale(names))
    expect(sortNatural(['post10', 'post2', 'Post1'])).toEqual(['Post1', 'post2', 'post10'])
  })
})
