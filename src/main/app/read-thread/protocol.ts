// Messages between a shell's back end and its read thread (read-thread.ts). Both ends are this
// project's own code in one process, and every payload has passed its method's schema in
// `Backend.call` before it is sent, so the messages are typed, not re-validated.
import type { ApiErrorBody } from '#shared/contract'
import type { ReadName } from '../handlers/reads'

export interface ReadThreadData {
  dbPath: string
  nativeBinding?: string
}

export type ReadRequest =
  | { kind: 'read'; method: ReadName; payload: unknown }
  /** Store a finished run's review order (ranking.ts), so its first review page is a paged read. */
  | { kind: 'rank'; runId: number }
  /**
   * Copy the WAL into the database on the thread's writer connection (the shell's checkpointSoon) and,
   * if that copied all of it, start it afresh with a write of nothing, so that the shell's next write
   * need not sync its header (read-client.ts holds the shell's request writes meanwhile); not while
   * a run is being ranked (seconds), which the shell's writes should not wait for.
   */
  | { kind: 'checkpoint'; startWal: boolean }

export type ToReadThread = ReadRequest & { id: number }

export type FromReadThread = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorBody }
