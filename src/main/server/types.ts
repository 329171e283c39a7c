import type { Backend } from '#main/app/backend'

export interface ServerOptions {
  backend: Backend
  /** Default 127.0.0.1. Any non-loopback address requires a token. */
  host?: string
  /** Default 5317; 0 picks a free port. */
  port?: number
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  /** Access token; required (and generated when absent) for non-loopback hosts. */
  token?: string
}

export interface RunningServer {
  url: string
  host: string
  port: number
  /** The token a non-loopback client must present (null on loopback without one). */
  token: string | null
  close(): Promise<void>
}
