import { BrowserWindow } from 'electron'
import { PRELOAD_FILE, type AppPage } from './app-page'

export function openMainWindow(page: AppPage): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Common Ground',
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
