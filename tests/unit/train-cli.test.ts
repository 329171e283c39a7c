// `common-ground train` and `runs` as a script or a person uses them: metrics as JSON, refusals
// that say what to do, and Ctrl+C that stops a run with its checkpoint kept.
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliProblem } from '#main/cli/train-command'
import { openStore } from '#main/db/store'
import { cli, startCli } from './support/cli'
import { tempDir } from './support/temp'
import { trainingProject } from './support/training-project'

const SMALL = ['--set', 'hidden=16', '--set', 'clsHidden=16', '--set', 'batchLabeled=8', '--set', 'batchUnlabeled=16', '--set', 'evalEvery=10', '--set', 'checkpointEvery=10']

function storeFile(options: { features?: boolean } = {}): string {
  const file = path.join(tempDir('cg-train-cli-'), 'store.db')
  const store = openStore(file)
  trainingProject(store, { name: 'demo', ...options })
  store.close()
  return file
}

describe('common-ground train', () => {
  it('trains and prints the metrics as JSON; runs lists the run', async () => {
    const db = storeFile()
    const { code, stdout } = await cli('train', '--db', db, '--project', 'demo', '--method', 'supervised', '--labels', '15', '--preset', 'quick', '--steps', '20', '--seed', '5', ...SMALL, '--json')
    expect(code).toBe(0)
    const out = JSON.parse(stdout)
    expect(out).toMatchObject({ ok: true, outcome: 'done', method: 'supervised', preset: 'quick', seed: 5, steps: 20, step: 20, backend: 'wasm', labels: { total: 15 } })
    for (const split of ['test', 'val']) {
      expect(Object.keys(out[split]).sort()).toEqual(['accuracy', 'macroF1', 'weightedF1'])
      expect(out[split].accuracy).toBeGreaterThan(0.5)
    }
    expect(out.elapsedMs).toBeGreaterThan(0)

    const listed = await cli('runs', '--db', db, '--project', 'demo', '--json')
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout).runs).toMatchObject([{ id: out.runId, status: 'done', method: 'supervised', test: out.test }])

    // The finished run applied to the project's posts (in a trainer process), written as CSV; the command then exits.
    const csv = path.join(tempDir('cg-predict-cli-'), 'predictions.csv')
    const predicted = await cli('predict', '--db', db, '--project', 'demo', '--run', String(out.runId), '--out', csv, '--json')
    expect(predicted.code).toBe(0)
    const set = JSON.parse(predicted.stdout)
    expect(set).toMatchObject({ ok: true, runId: out.runId, posts: 75, missing: 0, out: { path: csv, rows: 75 } })
    expect(set.perClass.negative + set.perClass.neutral + set.perClass.positive).toBe(75)
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(76)
  })

  it('tells the user to extract first when features are missing, and names a bad setting', async () => {
    const bare = await cli('train', '--db', storeFile({ features: false }), '--project', 'demo', '--method', 'scdr', '--labels', '15')
    expect(bare.code).toBe(1)
    expect(bare.stderr).toMatch(/have no default-v2 vectors .*extract them first \(Features… on the project page, or `common-ground extract --project demo --encoder default-v2`\)/)

    const bad = await cli('train', '--db', storeFile(), '--project', 'demo', '--method', 'fixmatch', '--labels', '15', '--set', 'lr=-1', '--set', 'scdr.selector=magic', '--json')
    expect(bad.code).toBe(1)
    const { error } = JSON.parse(bad.stdout)
    expect(error).toMatch(/^lr must be a number above 0/m)
    expect(error).toMatch(/^scdr\.selector must be frozen or supervised/m)

    // A budget the labels cannot fill names the flag that asked for it (the app names its field).
    const big = await cli('train', '--db', storeFile(), '--project', 'demo', '--labels', '99999')
    expect(big.code).toBe(1)
    expect(big.stderr).toMatch(/^common-ground train: --labels: asked for 99999 labels, but the train posts hold only \d+ /m)
    // A teacher run that is not finished names --teacher; a field with no flag of its own keeps its words.
    expect(cliProblem({ field: 'overrides.teacher.run', message: 'overrides.teacher.run: run 9 is not a finished run, so it cannot teach' })).toBe(
      '--teacher: run 9 is not a finished run, so it cannot teach',
    )
    expect(cliProblem({ field: 'overrides.lr', message: 'lr must be a number above 0' })).toBe('lr must be a number above 0')
  })

  it('Ctrl+C stops the run, keeps its checkpoint, and exits 1 with outcome cancelled', async () => {
    const db = storeFile()
    const { child, result } = startCli('train', '--db', db, '--project', 'demo', '--method', 'fixmatch', '--labels', '15', '--preset', 'quick', '--steps', '5000', ...SMALL, '--json')
    // Wait for a checkpoint to be recorded on the run, as a person waits for the progress line.
    const reader = new Database(db, { readonly: true })
    try {
      for (;;) {
        const run = reader.prepare("SELECT step FROM runs WHERE status = 'running'").get() as { step: number } | undefined
        if (run && run.step >= 10) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      reader.close()
    }
    child.kill('SIGINT')
    const { code, stdout } = await result
    expect(code).toBe(1)
    const out = JSON.parse(stdout)
    expect(out).toMatchObject({ ok: false, outcome: 'cancelled', error: null })
    expect(out.step).toBeGreaterThanOrEqual(10)
    expect(existsSync(path.join(`${db.replace(/\.db$/, '')}.media`, 'project-1', 'runs', String(out.runId), 'checkpoint.bin'))).toBe(true)
  })

  it('Ctrl+C during predict stops it, stores nothing of its set, and exits 1 saying so', async () => {
    const db = storeFile()
    const trained = JSON.parse((await cli('train', '--db', db, '--project', 'demo', '--method', 'supervised', '--labels', '15', '--preset', 'quick', '--steps', '10', ...SMALL, '--json')).stdout)
    const { child, result } = startCli('predict', '--db', db, '--project', 'demo', '--run', String(trained.runId), '--json')
    // As a person presses Ctrl+C once the work has started: here, once the trainer process is up.
    for (;;) {
      // pgrep -P, not `ps --ppid` (GNU only): the same on Linux and macOS; its absence fails here, not by hanging.
      const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      if (children.error) throw new Error(`pgrep (to see the trainer process start) could not run: ${children.error.message}`)
      if (children.stdout.trim() !== '') break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGINT')
    const { code, stdout } = await result
    expect(code).toBe(1)
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/predict was cancelled; nothing of its set was stored/) })
    const reader = new Database(db, { readonly: true })
    try {
      expect(reader.prepare('SELECT count(*) AS n FROM predictions').get()).toEqual({ n: 0 })
      expect(reader.prepare('SELECT count(*) AS n FROM prediction_sets').get()).toEqual({ n: 0 })
    } finally {
      reader.close()
    }
  })
})
