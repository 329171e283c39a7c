import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron'

/** The native open dialog behind `system.pickPath`; null when the user cancels. */
export async function pickPath(kind: 'folder' | 'file', start?: string): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: kind === 'folder' ? 'Choose a data set folder' : 'Choose a data set file',
    properties: [kind === 'folder' ? 'openDirectory' : 'openFile'],
    ...(start ? { defaultPath: start } : {}),
  }
  const parent = BrowserWindow.getFocusedWindow()
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  return picked.canceled ? null : (picked.filePaths[0] ?? null)
}
