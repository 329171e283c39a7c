// The desktop shell: one window over the shared back end, wired through IPC and the media
// protocol. The only room (with src/preload) that imports 'electron'.
import { app, BrowserWindow, dialog, session } from 'electron'
import type { Backend } from '#main/app/backend'
import { settledWithin } from '#main/core/settled-within'
import { appPage } from './app-page'
import { enforceContentSecurityPolicy } from './content-security'
import { wireIpc } from './ipc'
import { openMainWindow } from './main-window'
import { registerMediaScheme, serveMediaProtocol } from './media-protocol'
import { guardNavigation } from './navigation-guard'
import { openBackend } from './open-backend'
import { claimSingleInstance } from './single-instance'
import { followDataHome } from './user-data'

/** The longest a quit waits for the work in flight to stop before the app exits all the same. */
const QUIT_WAIT_MS = 10_000

followDataHome()
if (!claimSingleInstance()) {
  app.quit()
} else {
  registerMediaScheme()
  void app.whenReady().then(start)
}

function start(): void {
  const page = appPage()
  let backend: Backend
  try {
    backend = openBackend()
  } catch (err) {
    const message = (err as Error).message
    console.error(`Common Ground cannot start: ${message}`)
    dialog.showErrorBox('Common Ground cannot start', message)
    app.exit(1)
    return
  }
  const unwireIpc = wireIpc(backend, page.isAppUrl)
  serveMediaProtocol(backend)
  enforceContentSecurityPolicy(session.defaultSession, page)
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, page.isAppUrl))
  openMainWindow(page)

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow(page)
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('will-quit', (event) => {
    if (quitting) return
    quitting = true
    // Quit once the work in flight has stopped: an import thread ended under sharp by the process's
    // exit can crash it (sharp's issue 2263). A cancelled import ends within the images it started.
    event.preventDefault()
    unwireIpc()
    const stopped = backend.close()
    void settledWithin(stopped, QUIT_WAIT_MS).finally(() => app.quit())
  })
}
