// The app itself and the folders of the machine that runs the back end. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, oneOf, opt, text } from './fields'

/** A native dialog for a folder (the default) or a file. */
export const PickPathRequest = fields({ kind: v.nullish(oneOf(['folder', 'file']), 'folder') })

/** A folder to list; the home folder when absent. */
export const ListDirRequest = v.nullish(fields({ path: opt(text()) }), {})

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
