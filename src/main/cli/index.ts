// `common-ground <command>`: the headless face of the same back end. Every command takes --json
// (machine-readable result on stdout) and --db FILE, and exits non-zero when it fails.
import { parseArgs } from 'node:util'
import { CliError, type CliContext, type Command } from './command'
import { importCommand } from './import-command'
import { projectsCommand } from './projects-command'
import { statsCommand } from './stats-command'
import { serveCommand } from './serve-command'
import { extractCommand } from './extract-command'
import { probeCommand } from './probe-command'
import { exportCommand } from './export-command'
import { trainCommand } from './train-command'
import { runsCommand } from './runs-command'
import { predictCommand } from './predict-command'
import { labelCheckCommand } from './label-check-command'
import { defaultDbPath } from '#main/app/paths'

const COMMANDS: Record<string, Command> = {
  projects: projectsCommand,
  import: importCommand,
  stats: statsCommand,
  serve: serveCommand,
  extract: extractCommand,
  probe: probeCommand,
  export: exportCommand,
  train: trainCommand,
  runs: runsCommand,
  predict: predictCommand,
  'label-check': labelCheckCommand,
}

const USAGE = `Usage: common-ground <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${(name + ' ' + c.usage).padEnd(58)} ${c.summary}`)
  .join('\n')}

Options for every command:
  --db FILE   the store to use (default: ${defaultDbPath()})
  --json      print the result as JSON on stdout
  --help      this text`

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE)
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    console.error(`common-ground: unknown command "${name}"\n\n${USAGE}`)
    return 2
  }
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        ...command.options,
      },
    })
  } catch (err) {
    console.error(`common-ground ${name}: ${(err as Error).message}\nUsage: common-ground ${name} ${command.usage}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.log(`Usage: common-ground ${name} ${command.usage}\n\n${command.summary}`)
    return 0
  }
  const ctx: CliContext = {
    dbPath: typeof values.db === 'string' ? values.db : defaultDbPath(),
    json: values.json === true,
    values: values as Record<string, string | boolean | undefined>,
    positionals,
  }
  try {
    return await command.run(ctx)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (ctx.json) console.log(JSON.stringify({ ok: false, error: message }))
    else console.error(`common-ground ${name}: ${message}`)
    return err instanceof CliError ? err.exitCode : 1
  }
}
