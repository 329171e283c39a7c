// One generator per (post, view, seed): a view is the same image or text whatever order or batch
// it is computed in, on any machine, and a re-run after a crash recomputes it identically.
import { seededRandom, type Random } from '#main/core/random'

export type { Random } from '#main/core/random'

/** FNV-1a over the UTF-16 units of the parts, then murmur3's finaliser to spread nearby keys. */
export function hashParts(parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5
  for (const part of parts) {
    const text = `${String(part)}\u0000`
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The generator of one view of one post: `key` names the post stably (its external id). */
export const viewRandom = (key: string, view: string, seed: number): Random => seededRandom(hashParts([key, view, seed]))

export const uniform = (random: Random, min: number, max: number): number => min + (max - min) * random()

/** An integer in [min, max], both included. */
export const randomInt = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
