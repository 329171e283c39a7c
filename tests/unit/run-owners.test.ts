// Who owns a training run: a run whose process is gone (the app or CLI closed, crashed, the machine
// restarted, its pid since reused by another program) is failed so that it blocks no new run; one
// whose owner still runs and says so stays; the trainer says so while it trains.
import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { OWNER_SILENT_MS } from '#main/core/process-alive'
import { itUnless, noBootHere } from './support/it-unless'
import { testBackend } from './support/backend'
import { trainingProject } from './support/training-project'
import { finished, reached, request, runOwnedBy } from './support/training-runs'

describe('training runs and their owners', () => {
  it('fails a run whose process is gone (the app or CLI was closed), so it blocks no new run', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const gone = spawnSync(process.execPath, ['-e', '']).pid
    const runId = runOwnedBy(backend, projectId, gone)
    const [orphan] = await backend.call('runs.list', { projectId })
    expect(orphan).toMatchObject({ id: runId, status: 'failed', error: expect.stringContaining('the process running it ended before the run finished') })
    const { runId: next } = await backend.call('runs.start', request(projectId, { steps: 10 }))
    expect((await finished(backend, next)).status).toBe('done')
  })

  itUnless(noBootHere)(
    'fails a run recorded in an earlier boot of the machine though another process now has its pid; one of this boot whose owner runs stays',
    async () => {
      const backend = testBackend()
      const { projectId } = trainingProject(backend.store)
      // A live process that is not ours: as after a restart, when some new process got the dead app's pid.
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
      try {
        const create = () => runOwnedBy(backend, projectId, other.pid!)
        const thisBoot = create()
        backend.store.db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(thisBoot)
        expect((await backend.call('runs.list', { projectId })).map((r) => [r.id, r.status])).toEqual([[thisBoot, 'running']])
        // Same pid, recorded before the machine restarted.
        backend.store.db.prepare("UPDATE runs SET owner_boot = 'an-earlier-boot' WHERE id = ?").run(thisBoot)
        const [orphan] = await backend.call('runs.list', { projectId })
        expect(orphan).toMatchObject({ id: thisBoot, status: 'failed', error: expect.stringContaining('the process running it ended before the run finished') })
      } finally {
        other.kill()
      }
    },
  )

  it("fails a run whose owner has been silent for minutes though a live process has its pid (a pid reused: Windows names no boot); one whose owner beats stays", async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    // A live process that is not ours, as when some new program got the crashed app's pid.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
    try {
      const runId = runOwnedBy(backend, projectId, other.pid!)
      const seen = backend.store.db.prepare("UPDATE runs SET status = 'running', owner_seen_at = ? WHERE id = ?")
      seen.run(Date.now() - OWNER_SILENT_MS + 5000, runId)
      expect((await backend.call('runs.list', { projectId })).map((r) => [r.id, r.status])).toEqual([[runId, 'running']])
      expect(await backend.dispatch('runs.start', request(projectId, { steps: 10 }))).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`Run #${runId} is already running`) } })
      seen.run(Date.now() - OWNER_SILENT_MS - 5000, runId)
      const [orphan] = await backend.call('runs.list', { projectId })
      expect(orphan).toMatchObject({ id: runId, status: 'failed', error: expect.stringContaining('the process running it ended before the run finished') })
      const { runId: next } = await backend.call('runs.start', request(projectId, { steps: 10 }))
      expect((await finished(backend, next)).status).toBe('done')
    } finally {
      other.kill()
    }
  })

  it('says, while it trains a run, that it still owns it, and stops once the run ends', async () => {
    const backend = testBackend({ ownerBeatMs: 40 })
    const { projectId } = trainingProject(backend.store)
    const seenAt = (id: number): number => (backend.store.db.prepare('SELECT owner_seen_at AS t FROM runs WHERE id = ?').get(id) as { t: number }).t
    const { runId } = await backend.call('runs.start', request(projectId, { steps: 400, evalEvery: 50, checkpointEvery: 100 }))
    await reached(backend, runId, 1)
    const first = seenAt(runId)
    await expect.poll(() => seenAt(runId), { timeout: 5000 }).toBeGreaterThan(first)
    expect((await finished(backend, runId)).status).toBe('done')
    const last = seenAt(runId)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(seenAt(runId)).toBe(last)
  })
})
