// Post ids and file names sort as a person reads them, the same way whichever path the sort takes:
// the order is localeCompare's ('en', numeric), which a folder import and the folder browser used.
// The sort gives the event loop turns and is stable, wherever the runs it merges are cut.
import { describe, expect, it } from 'vitest'
import { sortNatural } from '#main/core/natural-order'
import { sortInTurns } from '#main/core/sort-in-turns'

const byLocale = (names: string[]): string[] => [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))

describe('natural order', () => {
  it('tweet ids (digits only) in numeric order, as localeCompare puts them', async () => {
    let seed = 7
    const next = (): number => (seed = (seed * 48271) % 2147483647)
    const ids = Array.from({ length: 2000 }, () => `${1 + (next() % 9)}${String(next()).slice(0, next() % 18)}`)
    ids.push('5', '50', '500', '49', '1000000000000000000', '999999999999999999')
    expect(await sortNatural(ids)).toEqual(byLocale(ids))
  })

  it('names with letters as localeCompare puts them: numbers inside by value, case folded', async () => {
    const names = ['post10', 'post2', 'Post1', 'a', 'B', 'img_3.jpg', 'img_20.jpg', '007', '7', 'x1y10', 'x1y9']
    expect(await sortNatural(names)).toEqual(byLocale(names))
    expect(await sortNatural(['post10', 'post2', 'Post1'])).toEqual(['Post1', 'post2', 'post10'])
  })

  it('sorts in runs merged with turns of the loop, stable, as one sort would', async () => {
    let seed = 11
    const next = (): number => (seed = (seed * 48271) % 2147483647)
    // Many ties (keys 0–99), each item tagged with its place, so stability shows.
    for (const n of [0, 1, 4095, 4096, 4097, 20_000]) {
      const items = Array.from({ length: n }, (_, at) => ({ key: next() % 100, at }))
      let turns = 0
      const sorted = await sortInTurns(items, (a, b) => a.key - b.key, async () => void turns++)
      expect(sorted, `${n} items`).toEqual([...items].sort((a, b) => a.key - b.key))
      if (n >= 20_000) expect(turns).toBeGreaterThan(n / 1024)
    }
    const names = Array.from({ length: 9000 }, () => `img_${next() % 5000}.JPG`.replace('JPG', next() % 2 ? 'jpg' : 'JPG'))
    expect(await sortNatural(names)).toEqual(byLocale(names))
  })
})
