import { app, BrowserWindow } from 'electron'

/**
 * One running app per user: two processes writing the same SQLite store and thumbnails would race.
 * A second launch focuses the first one's window instead. Returns false in the second process.
 */
export function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  return true
}
