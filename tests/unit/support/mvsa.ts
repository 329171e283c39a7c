// The real MVSA-Single copy in unit tests: the folder (see ./mvsa-dir), and a `describe` that skips
// with a printed reason where the copy is missing.
import { describe } from 'vitest'
import { MVSA_SINGLE, mvsaMissing } from './mvsa-dir'

export { MVSA_SINGLE, mvsaMissing }
export const hasMvsa = mvsaMissing === null

/**
 * `describe` for tests that need the real copy. Where it is missing the block is skipped and the
 * reason is printed: Vitest's default reporter shows neither skipped titles nor skip reasons.
 */
export function describeWithMvsa(title: string, body: () => void): void {
  if (mvsaMissing) console.warn(`Skipped "${title}": ${mvsaMissing}`)
  describe.skipIf(!hasMvsa)(title, body)
}
