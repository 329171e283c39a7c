/** One self-overwriting status line on stderr, only when a person is watching a terminal. */
export class ProgressLine {
  private readonly enabled: boolean
  private last = 0

  constructor(wanted: boolean) {
    this.enabled = wanted && process.stderr.isTTY === true
  }

  show(text: string): void {
    const now = Date.now()
    if (!this.enabled || now - this.last < 100) return
    this.last = now
    process.stderr.write(`\r\x1b[K${text}`)
  }

  clear(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K')
  }
}

/** " · 12 s left" for a progress line, or nothing while there is no estimate yet. */
export const timeLeft = (etaMs: number | null | undefined): string => (etaMs == null ? '' : ` · ${Math.ceil(etaMs / 1000)} s left`)
