// Which boot of this machine we are in, to tell a recorded process id from the same number given to
// another process after a restart: a run left "running" by an app that died with the machine would
// otherwise count as running as long as some new process has its old pid. Linux names each boot
// (boot_id); macOS gives the boot's time (kern.boottime). Elsewhere it is unknown (null), and the
// pid alone decides, as before: a boot time computed from the clock and the uptime moves with every
// clock adjustment, and a live process must never be judged gone.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let known: string | null | undefined

function read(): string | null {
  try {
    if (process.platform === 'linux') return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
    if (process.platform === 'darwin') {
      const sec = /sec = (\d+)/.exec(execFileSync('sysctl', ['-n', 'kern.boottime'], { encoding: 'utf8', timeout: 2000 }))?.[1]
      return sec ? `darwin:${sec}` : null
    }
  } catch {
    // Unreadable: unknown, as on other platforms.
  }
  return null
}

/** This boot's identity, read once per process (a process lives within one boot); null when unknown. */
export function bootId(): string | null {
  if (known === undefined) known = read()
  return known
}
