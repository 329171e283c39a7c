import { bootId } from './boot-id'

/** Whether a process still exists (signal 0 only asks; EPERM means it exists under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * How often a process that owns work in the store (a run, a label check, a prediction set being
 * written) says so, and how long it may stay silent before a live process with its pid counts as
 * another process. Six beats missed: a loaded machine's late timer or a write waiting on the lock
 * is not taken for a death.
 */
export const OWNER_BEAT_MS = 20_000
export const OWNER_SILENT_MS = 6 * OWNER_BEAT_MS

/**
 * A process as the store records it: its pid, the boot of the machine it ran in, and when it last
 * said it was at work (ms since the epoch). A null boot or beat: not recorded (rows from before)
 * or unknown.
 */
export interface RecordedProcess {
  pid: number
  boot: string | null
  seenAt: number | null
}

/**
 * Whether a recorded process still runs. One recorded in an earlier boot does not, whatever now
 * holds its pid; nor does one silent for longer than OWNER_SILENT_MS: a process that holds its pid
 * now is another one (pids are reused, within a boot too, and Windows names no boot). Otherwise as
 * processAlive says.
 */
export function recordedProcessAlive(owner: RecordedProcess, now = Date.now()): boolean {
  const boot = bootId()
  if (owner.boot !== null && boot !== null && owner.boot !== boot) return false
  if (owner.seenAt !== null && now - owner.seenAt > OWNER_SILENT_MS) return false
  return processAlive(owner.pid)
}

/**
 * Calls `beat` every `everyMs` until stopped, on an unref'd timer (a beat holds no process open);
 * a beat that fails (the store busy for a moment) is left to the next one.
 */
export function startBeating(beat: () => Promise<unknown> | unknown, everyMs = OWNER_BEAT_MS): { stop(): void } {
  const timer = setInterval(() => {
    void Promise.resolve()
      .then(beat)
      .catch(() => undefined)
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/**
 * Beats for the work a process owns, while it owns any: `owned()` lists it (a run's or a check's
 * ids), `write` records the beat. `wake()` after taking new work; the beat stops by itself once
 * nothing is owned.
 */
export function beatWhileOwning(owned: () => readonly number[], write: (ids: readonly number[]) => unknown, everyMs = OWNER_BEAT_MS): { wake(): void } {
  let beating: { stop(): void } | null = null
  const beat = (): unknown => {
    const ids = owned()
    if (ids.length > 0) return write(ids)
    beating?.stop()
    beating = null
    return undefined
  }
  return { wake: () => void (beating ??= startBeating(beat, everyMs)) }
}
