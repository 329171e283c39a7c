import type { RunDetail } from '#shared/runs'
import { CliError, printJson, withBackend, type Command } from './command'
import { projectOf, projectOption } from './feature-options'

const pct = (x: number | undefined): string => (x === undefined ? '     –' : `${(100 * x).toFixed(1).padStart(5)}%`)

function printDetail(run: RunDetail): void {
  console.log(`Run #${run.id}: ${run.method} (${run.preset}, seed ${run.seed}), ${run.status}, step ${run.step}/${run.steps}, ${run.backend ?? 'no backend yet'}`)
  for (const split of ['test', 'val'] as const) {
    const m = run.metrics[split]
    if (!m) continue
    console.log(`  ${split}: accuracy ${pct(m.accuracy)}, weighted F1 ${pct(m.weightedF1)}, macro F1 ${pct(m.macroF1)}`)
    for (const c of m.perClass) console.log(`    ${c.label.padEnd(8)} P ${pct(c.precision)} R ${pct(c.recall)} F1 ${pct(c.f1)} (${c.support})`)
    console.log(`    confusion (rows true, columns predicted; negative, neutral, positive): ${JSON.stringify(m.confusion)}`)
  }
  if (run.error) console.log(`  ${run.error}`)
}

export const runsCommand: Command = {
  usage: '--project NAME | --run RUN_ID',
  summary: "The project's training runs (method, status, labels, metrics), or one run in full (per class, confusion, curves, config)",
  options: { ...projectOption, run: { type: 'string' } },
  async run(ctx) {
    return withBackend(ctx, async ({ store, runs }) => {
      if (ctx.values.run !== undefined) {
        const runId = Number(ctx.values.run)
        if (!Number.isInteger(runId) || runId < 1 || !store.runs.exists(runId)) throw new CliError(`no run with id ${String(ctx.values.run)} in ${store.path}`)
        const run = runs.get(runId)
        if (ctx.json) printJson({ ok: true, run })
        else printDetail(run)
        return 0
      }
      const project = projectOf(ctx, store)
      const list = runs.list(project.id)
      if (ctx.json) {
        printJson({ ok: true, project: { id: project.id, name: project.name }, runs: list })
        return 0
      }
      if (list.length === 0) console.log(`${project.name}: no runs yet (common-ground train --project ${project.name} …)`)
      for (const r of list) {
        const scores = r.test ? `test acc ${pct(r.test.accuracy)} wF1 ${pct(r.test.weightedF1)} mF1 ${pct(r.test.macroF1)}` : ''
        console.log(`#${String(r.id).padEnd(4)} ${r.method.padEnd(10)} ${r.preset.padEnd(8)} ${r.status.padEnd(9)} ${`${r.step}/${r.steps}`.padEnd(11)} ${String(r.labels.total).padStart(5)} labels  ${scores}`)
        if (r.error) console.log(`      ${r.error}`)
      }
      return 0
    })
  },
}
