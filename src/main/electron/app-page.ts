// Where the app's own files are once built, and which URLs count as the app itself (everything
// else is blocked from navigating the window or calling the back end).
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** out/main/index.js → the project root (or the packaged app's root), two levels up. */
const OUT_DIR = path.resolve(import.meta.dirname, '..')
export const PROJECT_ROOT = path.resolve(OUT_DIR, '..')
export const PRELOAD_FILE = path.join(OUT_DIR, 'preload', 'index.cjs')
const RENDERER_INDEX = path.join(OUT_DIR, 'renderer', 'index.html')

export interface AppPage {
  /** What the window loads: electron-vite's dev server in `npm run dev`, the built index.html otherwise. */
  url: string
  dev: boolean
  isAppUrl(url: string): boolean
}

export function appPage(devServerUrl = process.env.ELECTRON_RENDERER_URL): AppPage {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin
    return { url: devServerUrl, dev: true, isAppUrl: (url) => originOf(url) === origin }
  }
  return {
    url: pathToFileURL(RENDERER_INDEX).href,
    dev: false,
    // The one file, whatever its #/route.
    isAppUrl: (url) => fileOf(url) === RENDERER_INDEX,
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

function fileOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' ? fileURLToPath(parsed) : null
  } catch {
    return null
  }
}
