/// <reference types="vite/client" />
import type { Bridge } from '#shared/contract'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser. */
    commonGround?: Bridge
  }
}
