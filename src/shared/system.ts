// The app itself and the folders of the machine that runs the back end. Pure types and constants: no Node, no DOM.

export interface AppInfo {
  name: string
  version: string
  shell: 'electron' | 'browser'
  dbPath: string
  schemaVersion: number
  /** Whether the shell can show a native file dialog (`system.pickPath`). */
  nativeDialogs: boolean
  /** The OS user running the back end: the annotator name offered until someone sets theirs. */
  user: string
}

export interface DirectoryListing {
  path: string
  parent: string | null
  entries: Array<{ name: string; kind: 'dir' | 'file' }>
}
