// The arithmetic of the SVG charts: round tick values and a linear map from data to pixels. Pure,
// so the unit tests can check it without a DOM.

/** About `count` round values (1, 2 or 5 × 10ⁿ apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const raw = (max - min) / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power
  const first = Math.floor(min / step) * step
  const ticks: number[] = []
  // Rounded to the step's precision so 0.30000000000000004 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  for (let v = first; v <= max + step * 1e-9 || ticks.length < 2; v += step) ticks.push(Number(v.toFixed(digits)))
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toFixed(digits)))
  return ticks
}

/** Maps [d0, d1] onto [r0, r1]; a domain of one value maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d0 === d1) return () => (r0 + r1) / 2
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)
}

/** A tick's label: short, without trailing zeros ("0.25", "1.5k"). */
export function tickLabel(v: number): string {
  const abs = Math.abs(v)
  if (abs >= 1000) return `${Number((v / 1000).toFixed(1))}k`
  if (abs === 0) return '0'
  if (abs < 0.01) return v.toExponential(0)
  return String(Number(v.toPrecision(3)))
}
