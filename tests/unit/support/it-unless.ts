// A test that cannot run on every machine, skipped with its reason printed: Vitest's default
// reporter shows neither skipped titles nor skip reasons (./mvsa.ts does the same for a describe).
import { it } from 'vitest'
import { bootId } from '#main/core/boot-id'

/** `it`, or, where `reason` is not null, a skip that prints `reason` beside the test's title. */
export function itUnless(reason: string | null): (title: string, body: () => unknown) => void {
  if (reason === null) return (title, body) => it(title, body)
  return (title, body) => {
    console.warn(`Skipped "${title}": ${reason}`)
    // Skipped for the reason printed above, which the title carries too.
    it.skip(`${title} (skipped: ${reason})`, body)
  }
}

/** Why a test that needs the machine's boot named cannot run here (core/boot-id.ts); null where it can. */
export const noBootHere: string | null = bootId() === null ? `this system (${process.platform}) names no boot: only Linux and macOS do` : null
