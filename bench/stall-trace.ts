// What stalled the event loop: a 1 ms timer finds each gap (as stall.ts always measured), a log of
// every back-end call's synchronous part (the time `dispatch` held the loop before it returned its
// promise), of the deferred WAL checkpoints and of garbage collections (PerformanceObserver 'gc')
// is laid over the gaps, and each gap over the threshold is charged to what ran inside it — or, when
// nothing of this process did, to the OS giving the core to another process (Linux schedstat).
// `monitorEventLoopDelay` measures the same loop independently, as a check on the sampler.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'

/** One thing that ran on the loop, from `start` to `end` (performance.now() ms). */
export interface Span {
  what: string
  start: number
  end: number
  /** Time on a core within it (ms), when measured. */
  cpu?: number
  /** What else is known: the WAL started afresh inside it, a GC's kind. */
  note?: string
}

export interface Stall {
  /** The gap between two turns of the 1 ms timer, less the timer's 1 ms. */
  wall: number
  /** The same gap less the time the thread sat runnable, waiting for a core: what this process's own work and I/O cost. */
  own: number
  start: number
  end: number
}

/** The main thread's [time on a core, time waiting for one] in ms (Linux; null elsewhere). */
export function schedstat(): [number, number] | null {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number)
    return [run! / 1e6, wait! / 1e6]
  } catch {
    return null
  }
}

/**
 * The WAL's checkpoint sequence and salts (bytes 12–23 of its header): they change when a writer
 * starts the WAL afresh after a checkpoint copied all of it — the write that fsyncs the header.
 */
export function walGeneration(dbPath: string): string {
  let fd: number | null = null
  try {
    fd = openSync(`${dbPath}-wal`, 'r')
    const header = Buffer.alloc(24)
    return readSync(fd, header, 0, 24, 0) === 24 ? header.subarray(12, 24).toString('hex') : 'empty'
  } catch {
    return 'none'
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
}

/** A full collection now, so garbage made before a measured phase is not charged to it. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

export class StallTrace {
  readonly spans: Span[] = []
  readonly stalls: Stall[] = []
  private readonly gcs: Span[] = []
  private readonly delay = monitorEventLoopDelay({ resolution: 1 })
  private readonly gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      this.gcs.push({ what: `GC (${GC_KINDS[e.detail?.kind ?? -1] ?? 'other'})`, start: e.startTime, end: e.startTime + e.duration })
    }
  })

  constructor(private readonly threshold = 40) {
    this.gcObserver.observe({ entryTypes: ['gc'] })
    this.delay.enable()
  }

  /** Logs a synchronous piece of work on the loop and returns its result. */
  span<T>(what: string, fn: () => T, note?: () => string | undefined): T {
    const start = performance.now()
    const onCore = schedstat()?.[0] ?? NaN
    try {
      return fn()
    } finally {
      const end = performance.now()
      this.spans.push({ what, start, end, cpu: (schedstat()?.[0] ?? NaN) - onCore, note: note?.() })
    }
  }

  /** Samples the loop with a 1 ms timer while `fn` runs, keeping every gap over the threshold. */
  async watch(fn: () => Promise<void>): Promise<Stall> {
    const worst: Stall = { wall: 0, own: 0, start: 0, end: 0 }
    let last = performance.now()
    let lastSched = schedstat()
    const timer = setInterval(() => {
      const now = performance.now()
      const sched = schedstat()
      const wall = now - last - 1
      const own = wall - (sched && lastSched ? sched[1] - lastSched[1] : 0)
      if (wall > worst.wall) Object.assign(worst, { wall, start: last, end: now })
      worst.own = Math.max(worst.own, own)
      if (wall > this.threshold) this.stalls.push({ wall, own, start: last, end: now })
      last = now
      lastSched = sched
    }, 1)
    try {
      await fn()
      // A last tick, so a block at the very end is sampled too.
      await new Promise((resolve) => setTimeout(resolve, 5))
    } finally {
      clearInterval(timer)
    }
    return worst
  }

  /** What ran inside a gap, longest first; or why nothing did. */
  causeOf(stall: Stall): string {
    const inside = [...this.spans, ...this.gcs]
      .filter((s) => s.end > stall.start && s.start < stall.end)
      .map((s) => ({ s, overlap: Math.min(s.end, stall.end) - Math.max(s.start, stall.start) }))
      .filter(({ overlap }) => overlap >= 1)
      .sort((a, b) => b.overlap - a.overlap)
    const waited = stall.wall - stall.own
    if (inside.length === 0) {
      return waited >= stall.wall / 2
        ? `nothing of this process ran: ${waited.toFixed(0)} ms of it waiting for a core (machine load)`
        : `nothing logged ran (${waited.toFixed(0)} ms waiting for a core): a message's delivery, a timer or I/O callback`
    }
    return inside
      .map(({ s, overlap }) => {
        const cpu = s.cpu !== undefined && Number.isFinite(s.cpu) ? `, ${s.cpu.toFixed(1)} ms on a core` : ''
        return `${s.what} ${overlap.toFixed(0)} ms${cpu}${s.note ? ` (${s.note})` : ''}`
      })
      .join('; ')
  }

  /** The `n` longest gaps over the threshold with their causes. */
  top(n: number): Array<{ stall: Stall; cause: string }> {
    return [...this.stalls]
      .sort((a, b) => b.wall - a.wall)
      .slice(0, n)
      .map((stall) => ({ stall, cause: this.causeOf(stall) }))
  }

  /** Per kind of span, its longest synchronous hold of the loop (ms) and that span's time on a core. */
  longestPerKind(): Map<string, Span> {
    const worst = new Map<string, Span>()
    for (const s of this.spans) {
      const w = worst.get(s.what)
      if (!w || s.end - s.start > w.end - w.start) worst.set(s.what, s)
    }
    return worst
  }

  /** `monitorEventLoopDelay`'s maximum and p99 (ms) since the trace began: the same loop measured another way. */
  delays(): { max: number; p99: number } {
    return { max: this.delay.max / 1e6, p99: this.delay.percentile(99) / 1e6 }
  }

  close(): void {
    this.delay.disable()
    this.gcObserver.disconnect()
  }
}
