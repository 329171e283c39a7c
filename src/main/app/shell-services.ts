// What a shell (Electron or browser mode) lends the back end: its kind, a native dialog, a way to
// start worker processes. Its own file so the handlers and the backend that builds them never
// import each other.
import type { LaunchChild } from '#main/workers/child-process'

export interface ShellServices {
  shell: 'electron' | 'browser'
  /** A native file dialog, where the shell has one; `save` lets it create a folder to write into. */
  pickPath?: (kind: 'folder' | 'file', purpose: 'open' | 'save', start?: string) => Promise<string | null>
  /** Starts a worker process (feature worker, trainer) from its entry file (Electron: a utilityProcess); a forked Node child by default. */
  launchProcess?: LaunchChild
  /**
   * The folders requests may read and write (browser mode: `serve --root`, the home folder by
   * default); the data folder is always added. Absent: no limit (the desktop app, the CLI).
   */
  roots?: readonly string[]
}
