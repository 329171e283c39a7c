// The convergence plot of docs/RESULTS.md from a curve written by `bench/experiments.ts --curve`:
// an SVG with two panels (val/test accuracy at evaluations; losses and the mask rate per step,
// smoothed over a window), turned into a PNG by Debian's headless chromium when it is there.
//
//   node bin/run-ts.mjs bench/plot-curve.ts CURVE.json OUT.svg [OUT.png]
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { CurvePoint, CurveSeries } from '#shared/runs'

const [input, svgFile, pngFile] = process.argv.slice(2)
if (!input || !svgFile) throw new Error('usage: plot-curve.ts CURVE.json OUT.svg [OUT.png]')
const run = JSON.parse(readFileSync(input, 'utf8')) as { method: string; draw: string; seed: number; config: { steps: number; batchLabeled: number; batchUnlabeled: number; lr: number }; curves: CurvePoint[] }

const W = 900
const H = 300
const M = { left: 55, right: 150, top: 30, bottom: 35 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf']

interface Series {
  name: string
  points: [number, number][]
}

/** Mean over a trailing window: per-step losses are noisy at batch 32. */
const smooth = (points: [number, number][], window: number): [number, number][] =>
  points.map(([x], i) => {
    const slice = points.slice(Math.max(0, i - window + 1), i + 1)
    return [x, slice.reduce((a, [, y]) => a + y, 0) / slice.length]
  })

function panel(title: string, series: Series[], top: number, yRange?: [number, number]): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x))
  const ys = series.flatMap((s) => s.points.map(([, y]) => y))
  const [x0, x1] = [0, Math.max(...xs)]
  const [y0, y1] = yRange ?? [Math.min(0, ...ys), Math.max(...ys) * 1.05]
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right)
  const py = (y: number) => top + H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom)
  const ticks = (lo: number, hi: number, n: number) => Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n)
  const out: string[] = [`<text x="${M.left}" y="${top + 18}" font-size="14" font-weight="bold">${title}</text>`]
  for (const y of ticks(y0, y1, 5)) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`)
    out.push(`<text x="${M.left - 6}" y="${py(y) + 4}" font-size="11" text-anchor="end">${y.toFixed(2)}</text>`)
  }
  for (const x of ticks(x0, x1, 6)) out.push(`<text x="${px(x)}" y="${top + H - M.bottom + 16}" font-size="11" text-anchor="middle">${Math.round(x)}</text>`)
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${top + H - 4}" font-size="11" text-anchor="middle">step</text>`)
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]
    const d = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('')
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"/>`)
    out.push(`<line x1="${W - M.right + 10}" x2="${W - M.right + 30}" y1="${top + 40 + i * 18}" y2="${top + 40 + i * 18}" stroke="${colour}" stroke-width="3"/>`)
    out.push(`<text x="${W - M.right + 36}" y="${top + 44 + i * 18}" font-size="12">${s.name}</text>`)
  })
  return out.join('\n')
}

const pointsOf = (series: CurveSeries): [number, number][] => run.curves.filter((c) => c.series === series).map((c) => [c.step, c.value])
const evals = pointsOf('val.accuracy')
const accuracy: Series[] = [
  { name: 'val accuracy', points: evals },
  { name: 'test accuracy', points: pointsOf('test.accuracy') },
]
const window = 25
const stat = (series: CurveSeries, label: string = series): Series[] => {
  const points = pointsOf(series)
  return points.length > 0 ? [{ name: label, points: smooth(points, window) }] : []
}
const losses = [...stat('loss'), ...stat('lsup', 'L_sup'), ...stat('lx', 'L_x'), ...stat('lu', 'L_u'), ...stat('lrec', 'L_rec'), ...stat('lcyc', 'L_cyc'), ...stat('maskM', 'mask rate (m)')]
const { config } = run
const title = `${run.method}, ${run.draw} 600 labels, seed ${run.seed}: ${config.steps} steps, batch ${config.batchLabeled}+${config.batchUnlabeled}, lr ${config.lr}`
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 30}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${M.left}" y="18" font-size="13">${title}</text>
${panel('EMA model on val and test (evaluated every ' + (evals[1] ? evals[1][0] - evals[0]![0] : '?') + ' steps)', accuracy, 20, [0.3, 0.8])}
${panel(`losses and mask rate (mean of the last ${window} steps)`, losses, H + 20)}
</svg>`
writeFileSync(svgFile, svg)

if (pngFile) {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync)
  if (!chromium) console.log('no chromium: SVG only')
  else {
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', `--window-size=${W},${2 * H + 30}`, `--screenshot=${path.resolve(pngFile)}`, `file://${path.resolve(svgFile)}`], { stdio: 'ignore' })
    console.log(`wrote ${pngFile}`)
  }
}
