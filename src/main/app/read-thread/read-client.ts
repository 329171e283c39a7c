// The shell's side of the read thread: heavy reads go to it by message and come back as promises,
// so the shell's event loop (Electron's main process, the HTTP server) never waits on them. If the
// thread cannot start or dies, the same handlers answer on the shell's own connection instead:
// slower at 100,000 posts, never wrong.
import type { Worker } from 'node:worker_threads'
import { AppError } from '#main/core/errors'
import { startThread } from '#main/workers/thread'
import type { PartReads, ReadHandlers, ReadName } from '../handlers/reads'
import type { FromReadThread, ReadRequest, ReadThreadData, ToReadThread } from './protocol'

const ENTRY = 'app/read-thread/read-thread.ts'

export interface Reads {
  /** A read method's answer, or a part of one (PartReads); the payload has passed its schema. */
  call(method: ReadName, payload: unknown): Promise<unknown>
  /** Stores a finished run's review order; resolves once it is stored. */
  rank(runId: number): Promise<void>
  /**
   * A WAL checkpoint, on the thread's connection when there is one (the shell's checkpointSoon);
   * if it copied the whole WAL, the thread also starts the WAL afresh. `writeHold` holds the shell's
   * request writes until it answers: a write while the thread holds the lock would wait for the
   * header's fsync on this loop, and one between the two steps would make that fsync itself.
   */
  checkpoint(): Promise<void>
  /** While the thread holds the write lock to start the WAL: resolves when it is done (null: write at once). */
  writeHold(): Promise<void> | null
  close(): void
}

/** A part of an answer (PartReads) from wherever the reads run, typed. */
export const readPart = <N extends keyof PartReads>(reads: Reads, name: N, query: Parameters<PartReads[N]>[0]): Promise<Awaited<ReturnType<PartReads[N]>>> =>
  reads.call(name, query) as Promise<Awaited<ReturnType<PartReads[N]>>>

/** The same reads on the shell's own connection (no thread: tests, or a thread that failed). */
export function inlineReads(handlers: ReadHandlers, rank: (runId: number) => void, checkpoint: () => void): Reads {
  return {
    call: async (method, payload) => await (handlers[method] as (p: unknown) => unknown)(payload),
    rank: async (runId) => rank(runId),
    checkpoint: async () => checkpoint(),
    writeHold: () => null,
    close: () => undefined,
  }
}

interface Pending {
  resolve(result: unknown): void
  reject(err: Error): void
}

export function threadReads(data: ReadThreadData, fallback: Reads): Reads {
  let worker: Worker | null = null
  let nextId = 1
  let hold: Promise<void> | null = null
  let ranking = 0
  const pending = new Map<number, Pending>()

  const stopped = (reason: string): void => {
    if (!worker) return
    worker = null
    console.error(`Common Ground: the read thread stopped (${reason}); heavy reads now run on the main thread`)
    for (const p of pending.values()) p.reject(new AppError('internal', `The read thread stopped: ${reason}`))
    pending.clear()
  }

  try {
    worker = startThread(ENTRY, data)
    worker.unref()
    worker.on('message', (message: FromReadThread) => {
      const p = pending.get(message.id)
      if (!p) return
      pending.delete(message.id)
      // Idle, the thread must not keep a CLI process alive.
      if (pending.size === 0) worker?.unref()
      if (message.ok) p.resolve(message.result)
      else p.reject(new AppError(message.error.code, message.error.message))
    })
    worker.on('error', (err) => stopped(err.message))
    worker.on('exit', (code) => stopped(`exit code ${code}`))
  } catch (err) {
    console.error(`Common Ground: no read thread (${err instanceof Error ? err.message : String(err)}); heavy reads run on the main thread`)
  }

  function send(message: ReadRequest): Promise<unknown> {
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker!.ref()
      worker!.postMessage({ ...message, id } satisfies ToReadThread)
    })
  }

  return {
    call: (method, payload) => (worker ? send({ kind: 'read', method, payload }) : fallback.call(method, payload)),
    rank: async (runId) => {
      if (!worker) return await fallback.rank(runId)
      ranking++
      try {
        await send({ kind: 'rank', runId })
      } finally {
        ranking--
      }
    },
    checkpoint: async () => {
      if (!worker) return await fallback.checkpoint()
      // Behind a ranking (seconds) the checkpoint neither starts the WAL nor holds writes: the next write starts it, as without a thread.
      if (ranking > 0) return void (await send({ kind: 'checkpoint', startWal: false }))
      // One at a time: writes made meanwhile are held, but for the bulk chunks that run in timers, whose next chunk asks again.
      if (hold) return
      const done = (): void => void (hold = null)
      hold = send({ kind: 'checkpoint', startWal: true }).then(done, done)
      await hold
    },
    writeHold: () => hold,
    close() {
      const w = worker
      worker = null
      for (const p of pending.values()) p.reject(new AppError('internal', 'The back end closed'))
      pending.clear()
      void w?.terminate()
    },
  }
}
