// Where `serve` takes its token from. A command line is readable by every user of the machine
// (`ps`), so the token comes from a file or an environment variable; `--token` still works, with a
// warning. With none of them, the server makes one up and prints the address that carries it.
import { readFile } from 'node:fs/promises'
import { CliError } from './command'

export const TOKEN_ENV = 'COMMON_GROUND_TOKEN'

export interface TokenChoice {
  token: string | undefined
  /** Said on stderr: how the token was given, when that way is unsafe. */
  warning?: string
}

export async function chooseToken(values: { token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv = process.env): Promise<TokenChoice> {
  const given = [values.tokenFile !== undefined, env[TOKEN_ENV] !== undefined, values.token !== undefined].filter(Boolean).length
  if (given > 1) throw new CliError(`give the token one way only: --token-file, ${TOKEN_ENV} or --token`, 2)
  if (values.tokenFile !== undefined) {
    let text: string
    try {
      text = await readFile(values.tokenFile, 'utf8')
    } catch (err) {
      throw new CliError(`--token-file ${values.tokenFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2)
    }
    return { token: nonEmpty(text.trim(), `--token-file ${values.tokenFile} is empty`) }
  }
  if (env[TOKEN_ENV] !== undefined) return { token: nonEmpty(env[TOKEN_ENV].trim(), `${TOKEN_ENV} is empty`) }
  if (values.token !== undefined) {
    return {
      token: nonEmpty(values.token.trim(), '--token is empty'),
      warning: `--token is visible to every user of this machine (ps); prefer --token-file FILE or ${TOKEN_ENV}`,
    }
  }
  return { token: undefined }
}

function nonEmpty(token: string, message: string): string {
  if (token === '') throw new CliError(message, 2)
  return token
}
