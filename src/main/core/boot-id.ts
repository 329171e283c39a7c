// Which boot of this machine we are in, to tell a recorded process id from the same number given to
// another process after a restart: a run left "running" by an app that died with the machine would
// otherwise count as running as long as some new process has its old pid. Linux names each boot
// with a random id (boot_id), macOS with a UUID (the kern.bootsessionuuid sysctl). Elsewhere
// (Windows) it is unknown (null): a boot time (the clock less the uptime) moves when the clock is
// set, and a process that still runs must never be judged gone because another read a different
// value. There the owner's beats (core/process-alive.ts) tell a reused pid.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** How each system names its boot; null where it names none or the name cannot be read. */
export const BOOT_ID_READERS: Partial<Record<NodeJS.Platform, () => string>> = {
  linux: () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'),
  darwin: () => execFileSync('/usr/sbin/sysctl', ['-n', 'kern.bootsessionuuid'], { encoding: 'utf8', timeout: 2000 }),
}

/** The boot's name on `platform`, read by its reader; null when there is none or it fails. */
export function readBootId(platform: NodeJS.Platform = process.platform, readers = BOOT_ID_READERS): string | null {
  const reader = readers[platform]
  if (!reader) return null
  try {
    return reader().trim() || null
  } catch {
    return null
  }
}

let known: string | null | undefined

/** This boot's identity, read once per process (a process lives within one boot); null when unknown. */
export function bootId(): string | null {
  if (known === undefined) known = readBootId()
  return known
}
