// The results table of docs/RESULTS.md: every method × label draw × seed on a project's cached
// features, trained in this process one after another (the CPU is shared: never in parallel).
//
//   node bin/run-ts.mjs bench/experiments.ts --db FILE [--project mvsa] [--methods a,b] [--draws per-class,proportional]
//     [--seeds 1,2,3] [--labels 600] [--preset default] [--set field=value ...] [--curve FILE.json] [--out FILE.json] [--raw]
//
// Prints one line per run and the table (mean ± sd over seeds); --out keeps every run's figures,
// --curve the first run's curve (step, losses, mask rates, val/test accuracy) for the plot.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '#main/db/store'
import { RUN_METHODS, type PresetName, type RunMethod } from '#shared/runs'
import { makeConfig, type ConfigOverrides } from '#main/training/config'
import type { SubsetMode } from '#main/training/labeled-subset'
import { loadTrainingData } from '#main/training/load-data'
import { train } from '#main/training/trainer'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    project: { type: 'string', default: 'mvsa' },
    methods: { type: 'string', default: RUN_METHODS.join(',') },
    draws: { type: 'string', default: 'per-class,proportional' },
    seeds: { type: 'string', default: '1,2,3' },
    labels: { type: 'string', default: '600' },
    preset: { type: 'string', default: 'default' },
    set: { type: 'string', multiple: true, default: [] },
    curve: { type: 'string' },
    out: { type: 'string' },
    raw: { type: 'boolean', default: false },
  },
})
if (!values.db) throw new Error('--db FILE is required (a copy of a store with cached features)')

/** `--set lr=0.01 --set scdr.selector=frozen`: numbers, booleans and strings by dotted name. */
function overridesOf(pairs: string[]): ConfigOverrides {
  const out: Record<string, unknown> = {}
  for (const pair of pairs) {
    const [key, raw] = pair.split('=') as [string, string | undefined]
    if (raw === undefined) throw new Error(`--set ${pair}: expected field=value`)
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw
    const [group, field] = key.split('.')
    if (field) out[group!] = { ...(out[group!] as object), [field]: value }
    else out[key] = value
  }
  return out as ConfigOverrides
}

interface RunFigures {
  method: RunMethod
  draw: SubsetMode
  seed: number
  steps: number
  selectedStep: number
  ms: number
  test: { accuracy: number; weightedF1: number; macroF1: number }
  val?: { accuracy: number; weightedF1: number; macroF1: number }
  /** Mean mask rates over the run's last tenth of steps. */
  masks: Record<string, number>
}

const db = openDatabase(values.db, { readonly: true })
const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(values.project!)
if (!project) throw new Error(`--project ${values.project}: no such project in ${values.db}`)
const overrides = overridesOf(values.set!)
const runs: RunFigures[] = []
let curveWritten = false

for (const draw of values.draws!.split(',') as SubsetMode[]) {
  for (const method of values.methods!.split(',') as RunMethod[]) {
    for (const seed of values.seeds!.split(',').map(Number)) {
      const loaded = loadTrainingData(db, { projectId: project.id, encoder: 'default', labels: { mode: 'draw', n: Number(values.labels), draw, seed }, standardize: !values.raw, priorSample: 100 })
      if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
      const config = makeConfig(values.preset as PresetName, { ...overrides, method, seed, scdr: { ...overrides.scdr }, flexmatch: { ...overrides.flexmatch } })
      const result = await train({ config, data: loaded.data })
      const { selected } = result.metrics
      // Mean mask rates over the last tenth of the steps.
      const tail = result.curves.filter((p) => p.step > config.steps - Math.max(1, Math.floor(config.steps / 10)))
      const masks = Object.fromEntries(
        (['maskM', 'maskT', 'maskV', 'plfDropped'] as const).flatMap((k) => {
          const values = tail.filter((p) => p.series === k).map((p) => p.value)
          return values.length > 0 ? [[k, values.reduce((a, b) => a + b, 0) / values.length]] : []
        }),
      )
      const scores = (r: { accuracy: number; weightedF1: number; macroF1: number }) => ({ accuracy: r.accuracy, weightedF1: r.weightedF1, macroF1: r.macroF1 })
      const figures: RunFigures = {
        method,
        draw,
        seed,
        steps: config.steps,
        selectedStep: selected.step,
        ms: result.elapsedMs,
        test: scores(selected.test!),
        val: selected.val && scores(selected.val),
        masks,
      }
      runs.push(figures)
      const f = (x: number) => x.toFixed(3)
      console.log(
        `${draw.padEnd(12)} ${method.padEnd(10)} seed ${seed}  test acc ${f(figures.test.accuracy)} wF1 ${f(figures.test.weightedF1)} mF1 ${f(figures.test.macroF1)}` +
          `  val acc ${figures.val ? f(figures.val.accuracy) : '-'}  step ${selected.step}/${config.steps}  ${(result.elapsedMs / 1000).toFixed(0)} s  ${JSON.stringify(Object.fromEntries(Object.entries(masks).map(([k, v]) => [k, +v.toFixed(3)])))}`,
      )
      if (values.curve && !curveWritten) {
        writeFileSync(values.curve, JSON.stringify({ method, draw, seed, config, curves: result.curves }))
        curveWritten = true
      }
      if (values.out) writeFileSync(values.out, JSON.stringify({ preset: values.preset, overrides, runs }, null, 1))
    }
  }
}
db.close()

const meanSd = (xs: number[]): string => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0
  return `${(100 * mean).toFixed(1)} ± ${(100 * sd).toFixed(1)}`
}
console.log('\n| labels | method | test accuracy | weighted F1 | macro F1 | seeds |\n|---|---|---|---|---|---|')
for (const draw of new Set(runs.map((r) => r.draw))) {
  for (const method of new Set(runs.map((r) => r.method))) {
    const group = runs.filter((r) => r.draw === draw && r.method === method)
    if (group.length === 0) continue
    const col = (pick: (r: RunFigures) => number) => meanSd(group.map(pick))
    console.log(`| ${values.labels} ${draw} | ${method} | ${col((r) => r.test.accuracy)} | ${col((r) => r.test.weightedF1)} | ${col((r) => r.test.macroF1)} | ${group.map((r) => r.seed).join(', ')} |`)
  }
}
