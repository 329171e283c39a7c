import { FEATURE_VIEWS_MAX, REGION_GRID_CHOICES, type ExtractionSummary, type RegionSummary } from '#shared/features'
import { DEFAULT_VIEWS } from '#main/features/views'
import { CliError, printJson, withBackend, type Command } from './command'
import { encoderOf, encoderOption, projectOf, projectOption } from './feature-options'
import { ProgressLine, timeLeft } from './progress-line'

export const extractCommand: Command = {
  usage: '--project NAME [--encoder ID] [--views K] [--regions 2|3]',
  summary: 'Encode the posts (clean, K weak, K strong views) into the feature cache; only what is missing. --regions G: also the image region grid (G×G) text-guided fusion reads',
  options: { ...projectOption, ...encoderOption, views: { type: 'string' }, regions: { type: 'string' } },
  async run(ctx) {
    const views = ctx.values.views === undefined ? DEFAULT_VIEWS : Number(ctx.values.views)
    if (!Number.isInteger(views) || views < 1 || views > FEATURE_VIEWS_MAX) throw new CliError(`--views must be a whole number from 1 to ${FEATURE_VIEWS_MAX}`, 2)
    const regions = ctx.values.regions === undefined ? undefined : Number(ctx.values.regions)
    if (regions !== undefined && !(REGION_GRID_CHOICES as readonly number[]).includes(regions)) throw new CliError(`--regions must be one of ${REGION_GRID_CHOICES.join(', ')} (the grid's side)`, 2)
    const encoder = await encoderOf(ctx)
    return withBackend(ctx, async ({ store, features }) => {
      const project = projectOf(ctx, store)
      const progress = new ProgressLine(!ctx.json)
      const task = features.extract(project.id, encoder, views, regions, (p) => {
        const rate = p.postsPerSecond ? ` · ${p.postsPerSecond.toFixed(1)} posts/s` : ''
        progress.show(`${p.phase} ${p.total ? `${p.done}/${p.total}` : ''}${rate}${timeLeft(p.etaMs)}`)
      })
      // Ctrl+C: the worker stops after its batch; everything written so far stays and is reused.
      const onSignal = (): void => task.cancel()
      process.once('SIGINT', onSignal)
      const outcome = await task.outcome.finally(() => {
        progress.clear()
        process.off('SIGINT', onSignal)
      })
      if (outcome.outcome === 'failed') throw new CliError(`extraction failed: ${outcome.error}`)
      const summary = outcome.result
      if (ctx.json) printJson({ ok: outcome.outcome === 'done', outcome: outcome.outcome, project: { id: project.id, name: project.name }, ...summary })
      else printSummary(outcome.outcome, summary)
      return outcome.outcome === 'done' ? 0 : 1
    })
  },
}

function printSummary(outcome: 'done' | 'cancelled', s: ExtractionSummary | null): void {
  if (!s) {
    console.log('Extraction cancelled before any batch finished; run it again to start over.')
    return
  }
  const what = outcome === 'done' ? 'Extracted' : 'Cancelled after extracting'
  console.log(`${what} ${s.encoded} posts (${s.alreadyDone} of ${s.posts} were already done) with ${s.pair.image.id} + ${s.pair.text.id}, K = ${s.views}`)
  console.log(`  ${s.vectorsWritten} vectors in ${(s.durationMs / 1000).toFixed(1)} s: ${s.postsPerSecond.toFixed(2)} posts/s, peak ${s.peakRssMb} MB`)
  if (s.vectorsCopied > 0) console.log(`  ${s.vectorsCopied} vectors copied from the same images and texts already in the store, not encoded again`)
  for (const p of s.problems) console.log(`  image of post ${p.externalId}: ${p.message}`)
  if (s.failed > s.problems.length) console.log(`  … and ${s.failed - s.problems.length} more`)
  if (s.regions) printRegions(s.regions)
  if (outcome === 'cancelled') console.log('  Run the same command again to compute the rest.')
}

function printRegions(r: RegionSummary): void {
  console.log(`Regions ${r.id}: ${r.encoded} posts (${r.alreadyDone} of ${r.posts} were already done), ${r.vectorsWritten} rows of ${r.dim} float16 values (${r.bytesPerPost} bytes a post)`)
  console.log(`  in ${(r.durationMs / 1000).toFixed(1)} s: ${r.postsPerSecond.toFixed(2)} posts/s`)
  if (r.vectorsCopied > 0) console.log(`  ${r.vectorsCopied} rows copied from the same images already in the store, not cut again`)
  for (const p of r.problems) console.log(`  image of post ${p.externalId}: ${p.message}`)
}
