import type { Backend } from '#main/app/backend'

/** How long and how much one client may hold the server (a stalled upload is cut off, not kept). */
export interface ServerLimits {
  /** Time to send the request headers. */
  headersTimeoutMs: number
  /** Time to send the whole request, body included. */
  requestTimeoutMs: number
  /** Request bodies read at once; more are answered 503 at once. */
  concurrentBodies: number
}

export const LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, concurrentBodies: 32 }

export interface ServerOptions {
  backend: Backend
  /** Default 127.0.0.1. Loopback or not, every request needs the token. */
  host?: string
  /** Default 5317; 0 picks a free port. */
  port?: number
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  /** Access token; made up when absent. */
  token?: string
  /** Tests only: shorter limits than the defaults (see `LIMITS`). */
  limits?: Partial<ServerLimits>
}

export interface RunningServer {
  url: string
  host: string
  port: number
  /** The token every client must present (the printed address carries it). */
  token: string
  close(): Promise<void>
}
