// Tiny benchmark harness: figures are printed, never asserted (speed is not a test).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface Figure {
  bench: string
  metric: string
  value: number
  unit: string
  target?: string
}

export interface Bench {
  name: string
  /** Long benches run only when named (`npm run bench extraction-all`). */
  onlyWhenNamed?: boolean
  run(): Promise<Figure[]>
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))
  return sorted[i]!
}

/** Times `fn` `n` times after `warmup` runs; returns sorted milliseconds. */
export function timeMany(n: number, fn: (i: number) => void, warmup = 5): number[] {
  for (let i = 0; i < warmup; i++) fn(i)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    fn(i)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return times.sort((a, b) => a - b)
}

/** Lets the event loop run what the last request deferred, as the pause between two keypresses does. */
export const idle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** The same as `timeMany` for work that answers with a promise (a dispatched request); `idle` runs untimed between calls. */
export async function timeManyAsync(n: number, fn: (i: number) => Promise<unknown>, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    await idle()
    const t = process.hrtime.bigint()
    await fn(warmup + i)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return times.sort((a, b) => a - b)
}

/** A scratch folder removed when `fn` settles. */
export async function withScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cg-bench-'))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024)
