// Worker processes forked from the spawner thread (workers/fork-off-loop.ts), as the Node shells
// and the CLI start the trainer and the feature worker: the handle behaves as a directly forked
// child's, every way a child can end reaches its task, and an idle spawner never keeps the app's
// process from ending.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { forkChild, type ChildHandle } from '#main/workers/child-process'
import { forkOffLoop } from '#main/workers/fork-off-loop'

const ECHO = path.resolve('tests/unit/support/echo-worker.ts')

type Echo = ChildHandle<string, { pid: number; echo: string }>

function watch(child: Echo): { answers: Array<{ pid: number; echo: string }>; ended: Promise<string | null> } {
  const answers: Array<{ pid: number; echo: string }> = []
  child.onMessage((message) => answers.push(message))
  return { answers, ended: new Promise((resolve) => child.onExit(resolve)) }
}

const answered = async (answers: unknown[], n: number): Promise<void> => {
  while (answers.length < n) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('a worker process forked off the loop', () => {
  it('carries messages both ways and ends as a forked child does', async () => {
    const child: Echo = forkOffLoop(ECHO)
    const { answers, ended } = watch(child)
    child.send('one')
    child.send('two')
    await answered(answers, 2)
    expect(answers.map((a) => a.echo)).toEqual(['one', 'two'])
    // The pid the handle reports is the worker's own (a bench reads its memory from /proc by it).
    expect(child.pid).toBe(answers[0]!.pid)
    expect(child.pid).not.toBe(process.pid)
    child.send('bye')
    expect(await ended).toBeNull()
    expect(answers.at(-1)?.echo).toBe('bye')
  })

  it('reports a crash with the worker\'s stderr, and a kill, as forkChild does', async () => {
    const crashing: Echo = forkOffLoop(ECHO)
    const direct: Echo = forkChild(ECHO)
    const [offLoop, forked] = [watch(crashing), watch(direct)]
    crashing.send('crash')
    direct.send('crash')
    const reason = await offLoop.ended
    expect(reason).toBe(await forked.ended)
    expect(reason).toMatch(/^exit code 3: the echo worker was told to crash/)

    const killed: Echo = forkOffLoop(ECHO)
    const k = watch(killed)
    killed.send('ready?')
    await answered(k.answers, 1)
    killed.kill()
    expect(await k.ended).toMatch(/^killed by SIGKILL/)
  })

  it('gives each worker the environment as it is when the worker starts', async () => {
    // A test, or a shell, sets a variable after the spawner thread started (the first test's worker).
    const seen: string[] = []
    for (const value of ['first', 'second']) {
      process.env.CG_ECHO_TEST = value
      const child: Echo = forkOffLoop(ECHO)
      const { answers, ended } = watch(child)
      child.send('env:CG_ECHO_TEST')
      await answered(answers, 1)
      seen.push(answers[0]!.echo)
      child.send('bye')
      await ended
    }
    delete process.env.CG_ECHO_TEST
    expect(seen).toEqual(['first', 'second'])
  })

  it('a missing entry file ends the worker with the reason, not the app', async () => {
    const missing: Echo = forkOffLoop(path.resolve('tests/unit/support/no-such-worker.ts'))
    const { answers, ended } = watch(missing)
    missing.send('anyone?')
    expect(await ended).toMatch(/^exit code 1: .*no-such-worker/s)
    expect(answers).toEqual([])
  })

  it('leaves the process free to end once its workers have ended (a CLI verb returns)', () => {
    const run = spawnSync(process.execPath, ['bin/run-ts.mjs', 'tests/unit/support/fork-off-loop-script.ts', ECHO], { encoding: 'utf8', timeout: 30_000 })
    // Killed by the timeout, the status is null and the signal SIGTERM.
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 0, signal: null })
    expect(run.stdout).toContain('answered bye')
    expect(run.stdout).toContain('worker ended: cleanly')
  })
})
