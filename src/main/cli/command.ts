import type { ParseArgsConfig } from 'node:util'
import { createBackend, type Backend } from '#main/app/backend'

export interface CliContext {
  dbPath: string
  json: boolean
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

export interface Command {
  usage: string
  summary: string
  options: NonNullable<ParseArgsConfig['options']>
  run(ctx: CliContext): Promise<number>
}

/** A failure the user caused (bad argument, unknown project); exit code 2 for usage errors. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

export function requireString(ctx: CliContext, option: string): string {
  const value = ctx.values[option]
  if (typeof value !== 'string' || value.trim() === '') throw new CliError(`--${option} is required`, 2)
  return value
}

export const openBackend = (ctx: CliContext): Backend => createBackend({ dbPath: ctx.dbPath, shell: { shell: 'browser' } })

/** Runs `fn` with a backend that is closed afterwards, whatever happens. */
export async function withBackend<T>(ctx: CliContext, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = openBackend(ctx)
  try {
    return await fn(backend)
  } finally {
    await backend.close()
  }
}

export const printJson = (value: unknown): void => console.log(JSON.stringify(value, null, 2))
