// File names and post ids in the order a person expects ("post2" before "post10"), for a folder of
// 100,000 posts read on the shell's event loop: `localeCompare` with options builds a collator per
// call (100,000 names took ~5 s to sort), one shared collator takes ~0.3 s, and names made of digits
// alone (tweet and MVSA ids) compare by length, then by character, several times faster. Either
// way the sort gives the loop turns (sort-in-turns.ts).
import { loopTurns } from './loop-turns'
import { sortInTurns } from './sort-in-turns'

const collator = new Intl.Collator('en', { numeric: true })

/** Compares as `a.localeCompare(b, 'en', { numeric: true })` does. */
export const naturalCompare = collator.compare

const DIGITS = /^[1-9]\d*$/
const byDigits = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

/** `names` sorted in natural order, as a new array. Digits-only names without leading zeros take the fast comparison, in the same order. */
export function sortNatural(names: readonly string[], turn: () => Promise<void> = loopTurns()): Promise<string[]> {
  return sortInTurns(names, names.every((n) => DIGITS.test(n)) ? byDigits : naturalCompare, turn)
}
