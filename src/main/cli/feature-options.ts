// The options `extract` and `probe` share: which project, which encoder pair.
import type { ProjectSummary } from '#shared/projects'
import type { Store } from '#main/db/store'
import { parseEncoderId } from '#main/features/encoder-choices'
import { CliError, requireString, type CliContext } from './command'

export const encoderOption = { encoder: { type: 'string' } } as const
export const projectOption = { project: { type: 'string' } } as const

export async function encoderOf(ctx: CliContext): Promise<string> {
  try {
    return await parseEncoderId(ctx.values.encoder as string | undefined)
  } catch (err) {
    throw new CliError(`--encoder: ${(err as Error).message}`, 2)
  }
}

/** `--project NAME`'s project; none of that name is an error that names the store's projects. */
export function projectOf(ctx: CliContext, store: Store): ProjectSummary {
  const name = requireString(ctx, 'project')
  const project = store.projects.byName(name)
  if (project) return project
  const names = store.projects.list().map((p) => JSON.stringify(p.name))
  const there = names.length === 0 ? 'it has no projects yet (import creates one)' : `its projects: ${names.join(', ')}`
  throw new CliError(`no project named "${name}" in ${store.path}; ${there}`)
}
