// Exposes the typed contract to the renderer as `window.commonGround`, and nothing else: the
// renderer never sees ipcRenderer, and every name is checked against the contract's lists first.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT, IPC_INVOKE, isEvent, isMethod, type Bridge, type EventName, type Events } from '#shared/contract'

const bridge: Bridge = {
  async invoke(method, payload) {
    // Same answer the back end's dispatch gives, without a round trip.
    if (!isMethod(method)) return { ok: false, error: { code: 'bad-request', message: `Unknown method: ${String(method)}` } }
    return await ipcRenderer.invoke(IPC_INVOKE, method, payload)
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
    if (!isEvent(event)) throw new Error(`Unknown event: ${String(event)}`)
    const relay = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload as Events[E])
    }
    ipcRenderer.on(IPC_EVENT, relay)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, relay)
    }
  },
}

contextBridge.exposeInMainWorld('commonGround', bridge)
