import { IMPORT_FORMATS, type ImportFormat, type ImportReport } from '#shared/imports'
import { projectNameProblem, PROJECT_NAME_MAX } from '#shared/projects'
import { runImport } from '#main/datasets/run-import'
import { CliError, printJson, requireString, withBackend, type Command } from './command'
import { ProgressLine } from './progress-line'

export const importCommand: Command = {
  usage: 'PATH --project NAME [--format mvsa|csv|jsonl|folder]',
  summary: 'Import posts into a project (created if missing)',
  options: {
    project: { type: 'string' },
    format: { type: 'string' },
  },
  async run(ctx) {
    const target = ctx.positionals[0]
    if (!target) throw new CliError('give the folder or file to import', 2)
    const name = requireString(ctx, 'project').trim()
    const nameProblem = name.length > PROJECT_NAME_MAX ? `a project name has at most ${PROJECT_NAME_MAX} characters` : projectNameProblem(name)
    if (nameProblem) throw new CliError(`--project: ${nameProblem}`, 2)
    const format = ctx.values.format as string | undefined
    if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
      throw new CliError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`, 2)
    }
    return withBackend(ctx, async ({ store }) => {
      const project = store.projects.byName(name) ?? store.projects.create(name)
      const controller = new AbortController()
      const onSignal = (): void => controller.abort()
      process.once('SIGINT', onSignal)
      const progress = new ProgressLine(!ctx.json)
      let report: ImportReport
      try {
        report = await runImport({
          store,
          projectId: project.id,
          path: target,
          format: format as ImportFormat | undefined,
          signal: controller.signal,
          onProgress: (u) => progress.show(`${u.phase} ${u.total ? `${u.done}/${u.total}` : ''}`),
        })
      } catch (err) {
        if (controller.signal.aborted) throw new CliError('import cancelled; nothing was written')
        throw err
      } finally {
        progress.clear()
        process.off('SIGINT', onSignal)
      }
      const failure = importFailure(report)
      if (ctx.json) printJson({ ok: failure === null, ...(failure ? { error: failure } : {}), project: { id: project.id, name: project.name }, ...report })
      else printReport(report)
      if (failure && !ctx.json) console.error(`common-ground import: ${failure}`)
      return failure === null ? 0 : 1
    })
  },
}

/**
 * Why an import that ran counts as failed (exit 1), as the README says: the input itself could not
 * be read, or it had posts and none of them went in (already present ones included).
 */
export function importFailure(r: ImportReport): string | null {
  const badFile = r.problems.find((p) => p.severity === 'error' && p.code === 'bad-file')
  if (r.imported > 0) return null
  if (badFile) return `${badFile.file}: ${badFile.message}; nothing was imported`
  if (r.found === 0) return null
  if (r.alreadyPresent === r.found) return `all ${r.found} posts are already in the project; nothing new was imported`
  return `none of the ${r.found} posts could be imported (see the problems above)`
}

function printReport(r: ImportReport): void {
  console.log(`Imported ${r.imported} of ${r.found} posts from ${r.path} (${r.format}) in ${(r.durationMs / 1000).toFixed(1)} s`)
  console.log(`  skipped ${r.skipped}, already present ${r.alreadyPresent}, annotations ${r.annotations}, conflicts ${r.conflicts}`)
  for (const p of r.problems.slice(0, 50)) {
    console.log(`  ${p.severity}: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message} [${p.code}]`)
  }
  if (r.problems.length > 50) console.log(`  … and ${r.problems.length - 50} more (use --json for all)`)
}
