// What every spec that imports MVSA data needs: skipped, with the reason, where Chromium or the
// MVSA copy is missing; otherwise a fresh subset folder before its tests, removed after them.
import { test } from '@playwright/test'
import { CHROMIUM_MISSING_REASON, hasChromium } from './chromium'
import { mvsaMissing } from '../unit/support/mvsa-dir'
import { buildMvsaSubset, DEFAULT_QUOTAS, type MvsaSubset } from './mvsa-subset'

/** Registers the skips and hooks in the calling spec; the returned function gives the subset inside a test. */
export function useMvsaSubset(quotas = DEFAULT_QUOTAS): () => MvsaSubset {
  test.skip(!hasChromium(), CHROMIUM_MISSING_REASON)
  test.skip(mvsaMissing !== null, mvsaMissing ?? '')
  let subset: MvsaSubset | undefined
  test.beforeAll(async () => {
    subset = await buildMvsaSubset(quotas)
  })
  test.afterAll(async () => {
    await subset?.remove()
  })
  return () => subset!
}
