import { app } from 'electron'
import path from 'node:path'
import { defaultDataDir } from '#main/app/paths'

/**
 * With COMMON_GROUND_HOME set (a test run, a separate data set), Chromium's profile and the
 * single-instance lock live there too, so such a run neither collides with the user's open app
 * nor leaves state in their profile. Must run before the lock is claimed.
 */
export function followDataHome(env: NodeJS.ProcessEnv = process.env): void {
  if (env.COMMON_GROUND_HOME) app.setPath('userData', path.join(defaultDataDir(env), 'electron-profile'))
}
