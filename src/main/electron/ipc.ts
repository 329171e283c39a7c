// The contract over Electron IPC: one channel for requests, one for events, both fed by the
// same back end as browser mode.
import { BrowserWindow, ipcMain } from 'electron'
import { IPC_EVENT, IPC_INVOKE, type Method, type Reply } from '#shared/contract'
import type { Backend } from '#main/app/backend'

/** Wires requests and events; returns the undo, for quitting. */
export function wireIpc(backend: Backend, isAppUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE, (event, method: unknown, payload: unknown): Promise<Reply<Method>> | Reply<Method> => {
    // Only the app's own page may reach the back end, whatever else ends up in a frame.
    const sender = event.senderFrame?.url ?? ''
    if (!isAppUrl(sender)) {
      return { ok: false, error: { code: 'bad-request', message: `Refused: ${sender || 'an unknown page'} is not Common Ground` } }
    }
    return backend.dispatch(method, payload)
  })

  const unsubscribe = backend.events.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload)
    }
  })

  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe()
  }
}
