import { AppError } from '#main/core/errors'
import { CliError, printJson, withBackend, type Command } from './command'
import { encoderOf, encoderOption, projectOf, projectOption } from './feature-options'
import { ProgressLine, timeLeft } from './progress-line'
import type { LabelCheckFinished, LabelCheckProgress } from '#shared/label-check'

const SHOWN = 20

export const labelCheckCommand: Command = {
  usage: '--project NAME [--encoder PAIR] [--show N]',
  summary: 'Finds the human labels that are probably wrong (confident learning on out-of-fold probabilities); review them in the Review view',
  options: { ...projectOption, ...encoderOption, show: { type: 'string' } },
  async run(ctx) {
    const show = ctx.values.show === undefined ? SHOWN : Number(ctx.values.show)
    if (!(Number.isSafeInteger(show) && show >= 0 && show <= 200)) throw new CliError(`--show must be a whole number from 0 to 200, not "${String(ctx.values.show)}"`, 2)
    const encoder = ctx.values.encoder === undefined ? undefined : await encoderOf(ctx)
    return withBackend(ctx, async (backend) => {
      const project = projectOf(ctx, backend.store)
      let finished: { status: string; error?: string } | null = null
      const progress = new ProgressLine(!ctx.json)
      const unsubscribe = backend.events.subscribe((event, payload) => {
        if (event === 'labelCheck.progress') {
          const p = payload as LabelCheckProgress
          progress.show(`${p.phase} ${p.done}/${p.total}${timeLeft(p.etaMs)}`)
        }
        if (event === 'labelCheck.finished') {
          const p = payload as LabelCheckFinished
          finished = { status: p.status, ...(p.error ? { error: p.error } : {}) }
        }
      })
      let checkId: number
      try {
        checkId = (await backend.call('labelCheck.start', { projectId: project.id, ...(encoder ? { encoder } : {}) })).checkId
        await backend.labelChecks.wait(checkId)
      } catch (err) {
        if (err instanceof AppError) throw new CliError(err.message)
        throw err
      } finally {
        unsubscribe()
      }
      progress.clear()
      const outcome = finished as { status: string; error?: string } | null
      if (outcome?.status !== 'done') throw new CliError(`label check ${checkId} ${outcome?.status ?? 'ended'}${outcome?.error ? `: ${outcome.error}` : ''}`)
      const page = await backend.call('labelCheck.queue', { checkId, limit: Math.max(1, show) })
      const items = page.items.slice(0, show).map((i) => ({ rank: i.rank, postId: i.postId, externalId: i.externalId, given: i.given, givenBy: i.givenBy?.annotator ?? null, suggested: i.suggested, probabilities: i.probabilities, text: i.post.text }))
      if (ctx.json) printJson({ ok: true, project: { id: project.id, name: project.name }, check: page.check, top: items })
      else {
        const { check } = page
        console.log(`Label check ${check.id} of ${project.name} (${check.encoder}): ${check.listed} of ${check.checked} labeled posts listed as likely label errors`)
        for (const i of items) {
          const p = i.probabilities
          console.log(`  ${String(i.rank).padStart(4)}. post ${i.externalId}: ${i.given} (by ${i.givenBy ?? '?'}) → ${i.suggested}  p neg/neu/pos ${p.negative.toFixed(2)}/${p.neutral.toFixed(2)}/${p.positive.toFixed(2)}  ${i.text.replace(/\s+/g, ' ').slice(0, 70)}`)
        }
        console.log(`Review them in the Review view (source: label check ${check.id}).`)
      }
      return 0
    })
  },
}
