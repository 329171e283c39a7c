// How long a quitting desktop app waits for its work to stop (electron/index.ts's will-quit): until
// the work settles, however it settles, and never past the bound; the bound's timer holds nothing.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { settledWithin } from '#main/core/settled-within'
import { tempDir } from './support/temp'

describe('a wait with a bound', () => {
  it('ends when the work settles, resolved or rejected, well before the bound', async () => {
    const started = Date.now()
    expect(await settledWithin(new Promise((resolve) => setTimeout(resolve, 30)), 5000)).toBe('settled')
    expect(await settledWithin(Promise.reject(new Error('the store would not close')), 5000)).toBe('settled')
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('ends at the bound when the work never settles', async () => {
    const started = Date.now()
    expect(await settledWithin(new Promise(() => undefined), 80)).toBe('timed out')
    expect(Date.now() - started).toBeGreaterThanOrEqual(70)
  })

  it('holds no process open once the work has settled: a script waiting with a 60 s bound exits at once', () => {
    const helper = path.resolve('src/main/core/settled-within.ts')
    const script = path.join(tempDir('cg-quit-'), 'wait.mts')
    writeFileSync(script, `const { settledWithin } = await import(${JSON.stringify(pathToFileURL(helper).href)})\nconsole.log(await settledWithin(Promise.resolve(), 60_000))\n`)
    const started = Date.now()
    const run = spawnSync(process.execPath, [path.resolve('bin/run-ts.mjs'), script], { encoding: 'utf8', timeout: 30_000 })
    expect(run.stdout.trim()).toBe('settled')
    expect(run.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})
