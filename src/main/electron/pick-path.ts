import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron'

/**
 * The native open dialog behind `system.pickPath`; null when the user cancels. For a place to
 * write into (`save`) it may create the folder: macOS's New Folder button, Windows' prompt.
 */
export async function pickPath(kind: 'folder' | 'file', purpose: 'open' | 'save', start?: string): Promise<string | null> {
  const saving = purpose === 'save'
  const options: OpenDialogOptions = {
    title: saving ? 'Choose the folder to write into' : kind === 'folder' ? 'Choose a folder' : 'Choose a data set file',
    properties: [kind === 'folder' ? 'openDirectory' : 'openFile', ...(saving ? (['createDirectory', 'promptToCreate'] as const) : [])],
    ...(start ? { defaultPath: start } : {}),
  }
  const parent = BrowserWindow.getFocusedWindow()
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  return picked.canceled ? null : (picked.filePaths[0] ?? null)
}
