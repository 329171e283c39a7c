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

/** A process as the store records it: its pid, and the boot of the machine it ran in (null: not recorded or unknown). */
export interface RecordedProcess {
  pid: number
  boot: string | null
}

/**
 * Whether a recorded process still runs: one recorded in an earlier boot does not, whatever now
 * holds its pid; otherwise as processAlive says.
 */
export function recordedProcessAlive(owner: RecordedProcess): boolean {
  const now = bootId()
  if (owner.boot !== null && now !== null && owner.boot !== now) return false
  return processAlive(owner.pid)
}
