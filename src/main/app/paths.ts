import os from 'node:os'
import path from 'node:path'

/**
 * The app's data folder, the same for the desktop app, browser mode and the CLI, so a project
 * imported from a script shows up in the app. `COMMON_GROUND_HOME` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COMMON_GROUND_HOME) return path.resolve(env.COMMON_GROUND_HOME)
  const home = os.homedir()
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Common Ground')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Common Ground')
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'common-ground')
}

export const defaultDbPath = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(defaultDataDir(env), 'common-ground.db')

/** `~` and `~/…` as a shell would read them: people type paths that way into the import dialog. */
export const expandHome = (p: string): string => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p)
