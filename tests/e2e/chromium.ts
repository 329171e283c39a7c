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

/** Why the e2e tests cannot run here, or null when they can. */
export const chromiumMissing = (): string | null =>
  existsSync(CHROMIUM_PATH) ? null : `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`
