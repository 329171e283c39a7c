import { MODALITIES, SENTIMENTS, SPLITS } from '#shared/vocabulary'
import { printJson, withBackend, type Command } from './command'
import { projectOf, projectOption } from './feature-options'

export const statsCommand: Command = {
  usage: '--project NAME',
  summary: 'Posts per split, labels per class and modality, conflicts, annotators and their labels',
  options: projectOption,
  async run(ctx) {
    return withBackend(ctx, async ({ store }) => {
      const project = projectOf(ctx, store)
      const stats = store.stats.forProject(project.id)
      // Each annotator's current labels per modality and class (imported annotators included).
      const annotatorLabels = store.stats.annotatorLabels(project.id)
      if (ctx.json) {
        printJson({ ok: true, project: { id: project.id, name: project.name }, ...stats, annotatorLabels })
        return 0
      }
      console.log(`${project.name}: ${stats.total} posts, ${stats.conflicts} text/image conflicts`)
      console.log(`splits: ${SPLITS.map((s) => `${s} ${stats.splits[s]}`).join(', ')}`)
      for (const m of MODALITIES) console.log(`${m.padEnd(8)} ${SENTIMENTS.map((c) => `${c} ${stats.labels[m][c]}`).join(', ')}`)
      for (const a of stats.annotators) console.log(`annotator ${a.annotator} (${a.source}): ${a.count}`)
      for (const a of annotatorLabels) {
        const byModality = MODALITIES.map((m) => `${m} ${SENTIMENTS.map((c) => `${c} ${a.labels[m][c]}`).join(' ')}`)
        console.log(`labels of ${a.annotator}: ${byModality.join('; ')}`)
      }
      return 0
    })
  },
}
