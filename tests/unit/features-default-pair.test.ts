// The one check with the real default encoders, through the command line on 70 MVSA-Single posts
// (three batches): extract, Ctrl+C after the first batch, extract again for the rest, probe.
import Database from 'better-sqlite3'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildMvsaSubset, type MvsaSubset } from '../e2e/mvsa-subset'
import { cli, startCli } from './support/cli'
import { describeWithMvsa, hasMvsa } from './support/mvsa'
import { tempDir } from './support/temp'

let subset: MvsaSubset
beforeAll(async () => {
  if (hasMvsa) subset = await buildMvsaSubset({ train: 50, val: 10, test: 10 })
})
afterAll(async () => {
  await subset?.remove()
})

/** Posts holding all five vectors (K = 1): a batch lands whole, so this moves by batches. */
function postsDone(db: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true })
  try {
    return conn.prepare("SELECT count(*) FROM features WHERE view = 'strong:0' AND encoder LIKE 'default-text/%'").pluck().get() as number
  } finally {
    conn.close()
  }
}

// Skipped, with the reason, where the MVSA copy is absent (research data, never in the repository).
describeWithMvsa('the default encoders from the command line', () => {
  it('extract stops cleanly on Ctrl+C, resumes with only the rest, and probe reports all three feature sets', async () => {
    const db = path.join(tempDir('cg-db-'), 'mvsa.db')
    expect((await cli('import', subset.dir, '--project', 'mvsa', '--db', db, '--json')).code).toBe(0)

    const first = startCli('extract', '--project', 'mvsa', '--db', db, '--json')
    await new Promise<void>((resolve, reject) => {
      // Finishing before a first batch was seen would leave nothing to interrupt: fail, don't hang.
      void first.result.then(() => {
        clearInterval(timer)
        reject(new Error('extract finished before it could be interrupted'))
      })
      const timer = setInterval(() => {
        try {
          if (postsDone(db) > 0) {
            clearInterval(timer)
            first.child.kill('SIGINT')
            resolve()
          }
        } catch (err) {
          // The worker may not have created the WAL yet; the first batch is what we wait for.
          if (!/no such table|unable to open/.test((err as Error).message)) reject(err)
        }
      }, 100)
    })
    const stopped = await first.result
    expect(stopped.code).toBe(1)
    const cancelled = JSON.parse(stopped.stdout)
    expect(cancelled).toMatchObject({ ok: false, outcome: 'cancelled', posts: 70, alreadyDone: 0 })
    expect(cancelled.encoded).toBeLessThan(70)
    expect(postsDone(db)).toBe(cancelled.encoded)

    const second = await cli('extract', '--project', 'mvsa', '--db', db, '--json')
    expect(second.code).toBe(0)
    const done = JSON.parse(second.stdout)
    expect(done).toMatchObject({ ok: true, outcome: 'done', alreadyDone: cancelled.encoded, encoded: 70 - cancelled.encoded, failed: 0 })
    expect(done.vectorsWritten).toBe(done.encoded * 5)
    expect(done.pair.image.dim + done.pair.text.dim).toBeGreaterThan(1000)
    expect(postsDone(db)).toBe(70)

    const probe = await cli('probe', '--project', 'mvsa', '--db', db, '--json')
    expect(probe.code).toBe(0)
    const report = JSON.parse(probe.stdout)
    expect(report.counts).toEqual({ train: 50, val: 10, test: 10 })
    expect(report.rows.map((r: { features: string }) => r.features)).toEqual(['text', 'image', 'both'])
    for (const row of report.rows) expect(row.test.accuracy).toBeGreaterThanOrEqual(0)
  })

  it('refuses bad options before touching the store', async () => {
    const db = path.join(tempDir('cg-db-'), 'none.db')
    const views = await cli('extract', '--project', 'mvsa', '--views', '0', '--db', db)
    expect(views.code).toBe(2)
    expect(views.stderr).toContain('--views must be a whole number from 1 to 8')
    const encoder = await cli('probe', '--project', 'mvsa', '--encoder', 'onnx:relative/path', '--db', db, '--json')
    expect(encoder.code).toBe(2)
    expect(JSON.parse(encoder.stdout)).toEqual({ ok: false, error: '--encoder: an ONNX pair is named onnx:<absolute folder>, not onnx:relative/path' })
    const project = await cli('extract', '--project', 'nope', '--db', db)
    expect(project.code).toBe(1)
    expect(project.stderr).toMatch(/no project named "nope"/)
  })
})
