import path from 'node:path'
import { BrowserWindow } from 'electron'
import { PRELOAD_FILE, PROJECT_ROOT, type AppPage } from './app-page'

/** The window's and taskbar's icon (Linux and Windows; macOS takes the app bundle's). */
const ICON = path.join(PROJECT_ROOT, 'resources', 'icon.png')

export function openMainWindow(page: AppPage): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Common Ground',
    icon: ICON,
    show: false, // shown once painted, so the user never sees a blank frame
    backgroundColor: '#f5f6f8', // the UI's --bg, so there is no flash before the CSS loads,
    webPreferences: {
      preload: PRELOAD_FILE,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(page.url)
  return win
}
