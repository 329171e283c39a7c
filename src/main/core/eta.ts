/** Time left from the rate so far within the current phase; null until there is a rate to trust. */
export class EtaEstimator {
  private phase = ''
  private phaseStart = 0
  private startDone = 0

  update(phase: string, done: number, total: number, now = Date.now()): number | null {
    if (phase !== this.phase) {
      this.phase = phase
      this.phaseStart = now
      this.startDone = done
      return null
    }
    const elapsed = now - this.phaseStart
    const progressed = done - this.startDone
    if (total <= 0 || progressed <= 0 || elapsed < 500) return null
    return Math.round(((total - done) * elapsed) / progressed)
  }
}

/**
 * Whether a progress report goes out: at most one every `everyMs` (a report per image or per chunk
 * would flood the socket), and always when `force` says it must (a phase's start or end).
 */
export function reportThrottle(everyMs = 100, now: () => number = Date.now): (force: boolean) => boolean {
  let last = -Infinity
  return (force) => {
    const t = now()
    if (!force && t - last < everyMs) return false
    last = t
    return true
  }
}
