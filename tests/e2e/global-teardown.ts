import { rm } from 'node:fs/promises'

/** Removes the temp folder that held the test server's store and thumbnails. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.CG_E2E_DIR) await rm(process.env.CG_E2E_DIR, { recursive: true, force: true })
}
