import type { ProbeReport } from '#shared/features'
import { printJson, withBackend, type Command } from './command'
import { encoderOf, encoderOption, projectOf, projectOption } from './feature-options'

export const probeCommand: Command = {
  usage: '--project NAME [--encoder ID]',
  summary: 'Linear probe of the cached features: accuracy and F1 on test for text, image and both',
  options: { ...projectOption, ...encoderOption },
  async run(ctx) {
    const encoder = await encoderOf(ctx)
    return withBackend(ctx, async ({ store, features }) => {
      const project = projectOf(ctx, store)
      const report = await features.probe(project.id, encoder)
      if (ctx.json) printJson({ ok: true, project: { id: project.id, name: project.name }, ...report })
      else printReport(report)
      return 0
    })
  },
}

function printReport(r: ProbeReport): void {
  console.log(`Linear probe of ${r.pair.image.id} + ${r.pair.text.id}: train ${r.counts.train}, val ${r.counts.val}, test ${r.counts.test}`)
  const out = r.leftOut
  console.log(`  left out: conflict ${out.conflict}, unassigned ${out.unassigned}, unlabeled ${out.unlabeled}, without features ${out.missingFeatures}`)
  console.log('  features  dim     C       test acc  weighted F1  macro F1')
  const cell = (v: number, width: number): string => v.toFixed(3).padStart(width)
  for (const row of r.rows) {
    const { accuracy, weightedF1, macroF1 } = row.test
    console.log(`  ${row.features.padEnd(8)}  ${String(row.dim).padEnd(6)}  ${String(row.c).padEnd(6)}  ${cell(accuracy, 8)}  ${cell(weightedF1, 11)}  ${cell(macroF1, 8)}`)
  }
  if (r.majority) {
    const { accuracy, weightedF1, macroF1 } = r.majority.test
    console.log(`  baseline: always "${r.majority.label}" (majority class)  ${cell(accuracy, 8)}  ${cell(weightedF1, 11)}  ${cell(macroF1, 8)}`)
  }
}
