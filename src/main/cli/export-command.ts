import path from 'node:path'
import { EXPORT_FORMATS, type ExportFormat } from '#shared/exports'
import { AppError } from '#main/core/errors'
import { expandHome } from '#main/app/paths'
import { CliError, printJson, requireString, withBackend, type Command } from './command'
import { projectOf, projectOption } from './feature-options'

export const exportCommand: Command = {
  usage: `--project NAME --format ${EXPORT_FORMATS.join('|')} --out FILE [--run ID]`,
  summary: "The project's current labels as CSV, JSONL or Label Studio JSON (with a run's predictions)",
  options: { ...projectOption, format: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' } },
  async run(ctx) {
    const format = requireString(ctx, 'format')
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, 2)
    const out = path.resolve(expandHome(requireString(ctx, 'out')))
    const rawRun = ctx.values.run
    const runId = rawRun === undefined ? undefined : Number(rawRun)
    if (runId !== undefined && !(Number.isSafeInteger(runId) && runId > 0)) throw new CliError(`--run must be a run id (a positive whole number), not "${String(rawRun)}"`, 2)
    return withBackend(ctx, async (backend) => {
      const project = projectOf(ctx, backend.store)
      let result
      try {
        result = await backend.call('exports.labels', { projectId: project.id, format: format as ExportFormat, path: out, ...(runId ? { runId } : {}) })
      } catch (err) {
        // The handler names the payload's field; on the command line that field is an option.
        if (err instanceof AppError) throw new CliError(err.message.replace(/^path:/, '--out:').replace(/^runId:/, '--run:'))
        throw err
      }
      if (ctx.json) printJson({ ok: true, project: { id: project.id, name: project.name }, format, runId: runId ?? null, ...result })
      else console.log(`Wrote ${result.rows} posts of ${project.name} to ${result.path} (${format}${runId ? `, predictions of run ${runId}` : ''})`)
      return 0
    })
  },
}
