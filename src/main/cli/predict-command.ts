import path from 'node:path'
import type { PredictPhase, PredictProgress } from '#shared/predictions'
import { AppError } from '#main/core/errors'
import { expandHome } from '#main/app/paths'
import { CliError, printJson, withBackend, type Command } from './command'
import { projectOf, projectOption } from './feature-options'
import { ProgressLine, timeLeft } from './progress-line'

const PHASE: Record<PredictPhase, string> = { starting: 'starting', reading: 'reading features', predicting: 'predicting', saving: 'storing' }

export const predictCommand: Command = {
  usage: '--project NAME (--run ID | --model DIR) [--out FILE.csv]',
  summary: "Applies a finished run, or an exported model folder, to the project's posts (needs the pair's features); --out writes them as CSV",
  options: { ...projectOption, run: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' } },
  async run(ctx) {
    const rawRun = ctx.values.run
    const model = ctx.values.model
    if ((rawRun === undefined) === (model === undefined)) throw new CliError('give exactly one of --run ID or --model DIR', 2)
    const runId = rawRun === undefined ? undefined : Number(rawRun)
    if (runId !== undefined && !(Number.isSafeInteger(runId) && runId > 0)) throw new CliError(`--run must be a run id (a positive whole number), not "${String(rawRun)}"`, 2)
    const out = ctx.values.out === undefined ? null : path.resolve(expandHome(String(ctx.values.out)))
    return withBackend(ctx, async (backend) => {
      const project = projectOf(ctx, backend.store)
      const progress = new ProgressLine(!ctx.json)
      const unsubscribe = backend.events.subscribe((event, payload) => {
        if (event !== 'predict.progress' || payload.projectId !== project.id) return
        const { phase, done, total, etaMs } = payload as PredictProgress
        progress.show(`${PHASE[phase]} · ${total > 0 ? Math.round((100 * done) / total) : 0} %${timeLeft(etaMs)}`)
      })
      // Ctrl+C: the predict stops between two chunks and stores nothing.
      const onSignal = (): void => void backend.call('predict.cancel', { projectId: project.id })
      process.once('SIGINT', onSignal)
      let set, written
      try {
        set = await backend.call('predict.run', { projectId: project.id, ...(runId ? { runId } : { modelPath: String(model) }) }).finally(() => {
          progress.clear()
          unsubscribe()
          process.off('SIGINT', onSignal)
        })
        written = out ? await backend.call('exports.predictions', { setId: set.id, path: out }) : null
      } catch (err) {
        // The handler names the payload's field; on the command line that field is an option.
        if (err instanceof AppError) throw new CliError(err.message.replace(/^path:/, '--out:').replace(/^runId:/, '--run:').replace(/^modelPath:/, '--model:'))
        throw err
      }
      if (ctx.json) printJson({ ok: true, project: { id: project.id, name: project.name }, ...set, out: written })
      else {
        const share = (n: number) => `${n} (${((100 * n) / Math.max(1, set.posts)).toFixed(1)} %)`
        console.log(`Predicted ${set.posts} posts of ${project.name} with ${runId ? `run ${runId}` : set.modelPath} (${set.method}, ${set.encoder}) in ${set.elapsedMs.toFixed(0)} ms: set ${set.id}`)
        console.log(`  negative ${share(set.perClass.negative)}, neutral ${share(set.perClass.neutral)}, positive ${share(set.perClass.positive)}; mean confidence ${set.meanConfidence.toFixed(3)}`)
        if (set.missing > 0) console.log(`  ${set.missing} posts have no features of the pair and were left out`)
        if (written) console.log(`  wrote ${written.rows} rows to ${written.path}`)
      }
      return 0
    })
  },
}
