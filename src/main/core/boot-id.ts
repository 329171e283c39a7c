// Which boot of this machine we are in, to tell a recorded process id from the same number given to
// another process after a restart: a run left "running" by an app that died with the machine would
// otherwise count as running as long as some new process has its old pid. Linux names each boot
// with a random id (boot_id). Elsewhere it is unknown (null), and the pid alone decides, as before:
// a boot time (macOS's kern.boottime, or the clock less the uptime) moves when the clock is set, and
// a process that still runs must never be judged gone because another read a different value.
import { readFileSync } from 'node:fs'

let known: string | null | undefined

function read(): string | null {
  if (process.platform !== 'linux') return null
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
  } catch {
    return null
  }
}

/** This boot's identity, read once per process (a process lives within one boot); null when unknown. */
export function bootId(): string | null {
  if (known === undefined) known = read()
  return known
}
