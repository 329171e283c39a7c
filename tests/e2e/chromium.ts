// The system Chromium these tests drive (Playwright's own browser download needs the internet).
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that keep Chromium from reaching for the network or a GPU on an offline, headless machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Why the e2e tests are skipped where they cannot run: the written reason of every Chromium skip. */
export const CHROMIUM_MISSING_REASON = `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH)

/** Why the e2e tests cannot run here, or null when they can. */
export const chromiumMissing = (): string | null => (hasChromium() ? null : CHROMIUM_MISSING_REASON)
