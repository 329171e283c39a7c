// The app itself and the folders of the machine that runs the back end. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, filledText, oneOf, opt, text } from './fields'

/** A native dialog for a folder (the default) or a file. */
export const PickPathRequest = fields({
  kind: v.nullish(oneOf(['folder', 'file']), 'folder'),
  /** `save`: a place to write into (an export), where the dialog may also create a folder. */
  purpose: v.nullish(oneOf(['open', 'save']), 'open'),
  /** Where the dialog opens (the project's import folder, the last folder used); the OS's choice when absent. */
  start: opt(text()),
})

/** A folder to list; the home folder when absent. */
export const ListDirRequest = v.nullish(fields({ path: opt(text()) }), {})

/** A new folder, named `name`, inside the existing folder `parent` (the folder browser's "New folder"). */
export const MakeDirRequest = fields({
  parent: text(),
  name: filledText(255, 'give the new folder a name'),
})

export interface AppInfo {
  name: string
  version: string
  shell: 'electron' | 'browser'
  dbPath: string
  schemaVersion: number
  /** Whether the shell can show a native file dialog (`system.pickPath`). */
  nativeDialogs: boolean
}

/** The files a folder browser can pick: a data table to import. */
export const TABLE_FILE = /\.(csv|jsonl|ndjson)$/i

/** Other files (images, texts) a listing shows at most; past it they are only counted. */
export const OTHER_FILES_LISTED = 1000

export interface DirectoryListing {
  path: string
  parent: string | null
  /** Folders and data tables, then other files when there are at most OTHER_FILES_LISTED of them. */
  entries: Array<{ name: string; kind: 'dir' | 'file' }>
  /** Other files not listed (a folder of 100,000 images lists none of them). */
  unlisted: number
}

/** Where a project's data lives on the back end's machine: where its pickers start. */
export interface ProjectFolders {
  /** The folder of the project's latest import (a file's folder for CSV/JSONL), or null before any. */
  importFolder: string | null
}
