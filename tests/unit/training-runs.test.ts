// Training runs through the back end: the trainer process, the run row from queued to done, the
// results in the store, a crash, cancel and resume, and refusals that name what is wrong.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint, type TrainerCheckpoint } from '#main/training/checkpoint'
import { builtInPairInfo } from '#main/features/built-in-pairs'
import { regionInfo } from '#main/features/regions/region-grid'
import { configFromRequest, configView } from '#main/training/run-config'
import { FIELD_HELP, hiddenGroupsFor, parseOverrides, rawOf, shownValues } from '#renderer/lib/run-overrides'
import { forkTrainer, type TrainerHandle } from '#main/training/worker/trainer-process'
import { CHECKPOINT_FILE, checkpointCurves, checkpointFiles } from '#main/training/worker/run-files'
import type { CurvePoint, RunDetail, RunProgressEvent } from '#shared/runs'
import { finished, reached, request } from './support/training-runs'
import { testBackend } from './support/backend'
import { tempDir } from './support/temp'
import { trainingProject } from './support/training-project'

/** What two runs of the same config and seed must agree on. */
const outcome = (run: RunDetail) => ({ metrics: run.metrics, labels: run.labels, curves: run.curves })

describe('training runs', () => {
  it('runs in the trainer process to done, with metrics, curves, one pseudo-label per unlabeled post and the model', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const finishedEvents: unknown[] = []
    backend.events.subscribe((event, payload) => event === 'runs.finished' && finishedEvents.push(payload))
    const { runId } = await backend.call('runs.start', request(projectId))
    const run = await finished(backend, runId)

    expect(run.status).toBe('done')
    expect(run.error).toBeNull()
    expect(run.backend).toBe('wasm')
    expect(run.backendReason).toMatch(/tfjs-node not installed/)
    expect(run.step).toBe(60)
    expect(run.labels).toEqual({ total: 15, human: 0, imported: 15, pseudoAccepted: 0, correction: 0, perClass: { positive: 5, neutral: 5, negative: 5 } })
    // 15 val and 15 test posts; per-class reports in negative, neutral, positive order.
    for (const split of ['val', 'test'] as const) {
      const report = run.metrics[split]!
      expect(report.perClass.map((c) => [c.label, c.support])).toEqual([
        ['negative', 5],
        ['neutral', 5],
        ['positive', 5],
      ])
      expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(15)
      expect(report.accuracy).toBeGreaterThan(0.5) // separable classes: better than chance by far
    }
    expect(run.curves.filter((c) => c.series === 'val.accuracy').map((c) => c.step)).toEqual([10, 20, 30, 40, 50, 60])
    expect(run.curves.some((c) => c.series === 'maskM')).toBe(true)
    expect(run.config).toMatchObject({ method: 'fixmatch', steps: 60, seed: 3, hidden: 16 })
    expect(run.request).toMatchObject({ preset: 'quick', labels: { mode: 'draw', n: 15 } })
    // The subset's post ids and seed are on the run, so it can be repeated.
    const subset = run.subset!
    expect(subset.postIds).toHaveLength(15)
    expect(subset.seed).toBe(3)

    // 45 train posts, 15 of them the labeled subset: 30 pseudo-labels.
    const rows = backend.store.db.prepare('SELECT post_id AS postId, label, confidence, plf_decision AS plf FROM pseudo_labels WHERE run_id = ?').all(runId) as { postId: number; label: string; confidence: number; plf: string }[]
    expect(rows).toHaveLength(30)
    expect(rows.some((r) => subset.postIds.includes(r.postId))).toBe(false)
    expect(rows.every((r) => r.confidence > 1 / 3 - 1e-6 && r.confidence <= 1)).toBe(true)

    const model = path.join(backend.store.runDir(projectId, runId), 'model')
    const manifest = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] }
    expect(manifest.weightsManifest[0]!.paths).toEqual(['weights.bin'])
    expect(existsSync(path.join(model, 'weights.bin'))).toBe(true)
    // The features were standardised with the train posts' statistics: the model folder says how.
    const prep = JSON.parse(readFileSync(path.join(model, 'preprocessing.json'), 'utf8')) as { encoder: string; standardize: Record<'text' | 'image', { mean: number[]; inverseStd: number[] }> }
    expect(prep.encoder).toBe('default-v2')
    for (const m of ['text', 'image'] as const) {
      expect(prep.standardize[m].mean.length).toBeGreaterThan(0)
      expect(prep.standardize[m].inverseStd).toHaveLength(prep.standardize[m].mean.length)
    }

    const [listed] = await backend.call('runs.list', { projectId })
    expect(listed).toMatchObject({ id: runId, status: 'done', method: 'fixmatch', preset: 'quick', test: { accuracy: run.metrics.test!.accuracy } })
    expect(finishedEvents).toEqual([{ runId, projectId, status: 'done' }])
  })

  it("a self-training run counts every round's fit: its row, its progress and its charts say the same total", async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const totals = new Set<number>()
    backend.events.subscribe((event, payload) => {
      const p = payload as { runId?: number; steps?: number; phase?: string }
      if (event === 'runs.progress' && (p.phase === 'training' || p.phase === 'saving')) totals.add(p.steps!)
    })
    const { runId } = await backend.call('runs.start', { ...request(projectId, { steps: 40, 'selfTraining.rounds': 2 }), method: 'self-training' })
    expect((await backend.call('runs.get', { runId })).steps).toBe(120) // 3 fits of 40, known before the first step
    const run = await finished(backend, runId)
    expect(run.status).toBe('done')
    expect([run.step, run.steps]).toEqual([120, 120])
    expect([...totals]).toEqual([120])
    expect(Math.max(...run.curves.map((c) => c.step))).toBe(120)
    expect(run.curves.filter((c) => c.series === 'round').map((c) => c.step)).toEqual([40, 80])
    const [listed] = await backend.call('runs.list', { projectId })
    expect(listed).toMatchObject({ id: runId, step: 120, steps: 120 })
  })

  it('gives a window opened mid-run the curves from the first step, not only what comes next', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const { runId } = await backend.call('runs.start', request(projectId, { steps: 200 }))
    // Every evaluation sends progress (steps 10, 20, …); the run stores its curves only at the end.
    await reached(backend, runId, 30)
    const midway = await backend.call('runs.get', { runId })
    await finished(backend, runId)
    expect(midway.status).toBe('running')
    const valSteps = midway.curves.filter((c) => c.series === 'val.accuracy').map((c) => c.step)
    expect(valSteps.slice(0, 3)).toEqual([10, 20, 30])
    expect(Math.min(...midway.curves.map((c) => c.step))).toBeLessThanOrEqual(10)
  })

  it('streams the very points runs.get answers, mid-run and once stored: every step, lr and test accuracy included', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const streamed: CurvePoint[] = []
    backend.events.subscribe((event, payload) => {
      if (event === 'runs.progress') streamed.push(...(payload as RunProgressEvent).points)
    })
    const { runId } = await backend.call('runs.start', request(projectId))
    await reached(backend, runId, 30)
    // A window reloaded now draws what a window watching from the start has drawn.
    const midway = await backend.call('runs.get', { runId })
    const last = Math.max(...midway.curves.map((c) => c.step))
    expect(last).toBeGreaterThanOrEqual(30)
    expect(midway.curves).toEqual(streamed.filter((p) => p.step <= last))
    const run = await finished(backend, runId)
    expect(run.curves).toEqual(streamed)
    const stepsOf = (series: string) => run.curves.filter((c) => c.series === series).map((c) => c.step)
    expect(stepsOf('lr')).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
    expect(stepsOf('test.accuracy')).toEqual([10, 20, 30, 40, 50, 60])
    expect(new Set(run.curves.map((c) => c.series))).toEqual(new Set(['loss', 'lx', 'lu', 'maskM', 'gradNorm', 'lr', 'val.accuracy', 'test.accuracy']))
  })

  it('lists methods and presets with the value of every field, per method (the paper) and per preset', async () => {
    const backend = testBackend()
    const presets = await backend.call('runs.presets', undefined)
    expect(presets.methods.map((m) => m.id)).toEqual(['self-training', 'supervised', 'fixmatch', 'flexmatch', 'scdr', 'spp-scl'])
    expect(presets.presets.map((p) => p.id).sort()).toEqual(Object.keys(presets.presetValues.scdr).sort())
    for (const method of presets.methods) {
      // Flat, dotted names, the same fields for every method; only `method` differs.
      expect(presets.defaults[method.id].method).toBe(method.id)
      expect(Object.keys(presets.defaults[method.id])).toEqual(Object.keys(presets.presetValues.scdr.paper))
    }
    expect(presets.defaults.scdr['scdr.selector']).toBe(presets.presetValues.scdr.paper['scdr.selector'])
  })

  it('the launch dialog shows, for every method and preset, the values the run will use (SPP-SCL: AdamW at 1e-3, not the preset’s SGD)', async () => {
    const presets = await testBackend().call('runs.presets', undefined)
    for (const method of presets.methods.map((m) => m.id)) {
      for (const preset of presets.presets.map((p) => p.id)) {
        // What the dialog shows and sends (only the fields changed: none here) …
        const shown = shownValues(presets, method, preset)
        const req = { method, preset, overrides: parseOverrides(shown, rawOf(shown)).overrides }
        expect(req.overrides).toEqual({})
        // … is what the started run's config holds, field by field.
        expect(configView(configFromRequest(req).config!), `${method} / ${preset}`).toEqual(shown)
      }
    }
    expect(shownValues(presets, 'spp-scl', 'default')).toMatchObject({ optimizer: 'adamw', lr: 1e-3, weightDecay: 1e-6, batchLabeled: 64 })
    expect(shownValues(presets, 'self-training', 'default')).toMatchObject({ steps: 1000, batchLabeled: 128 })
    expect(shownValues(presets, 'scdr', 'default')).toMatchObject({ optimizer: 'sgd', lr: 0.01 })
    // ULGM is an option of supervised and SCDR runs, SPP-SCL's settings of SPP-SCL and SCDR: shown for those alone.
    expect(hiddenGroupsFor('scdr')).not.toEqual(expect.arrayContaining(['ulgm']))
    expect(hiddenGroupsFor('scdr')).not.toEqual(expect.arrayContaining(['sppScl']))
    expect(hiddenGroupsFor('fixmatch')).toEqual(expect.arrayContaining(['ulgm', 'sppScl', 'scdr']))
    // Each of those options has its line of help.
    for (const field of ['ulgm.mode', 'ulgm.weight', 'scdr.sppSclWeight']) expect(FIELD_HELP[field]).toMatch(/\w/)
  })

  it('refuses a bad config with a message naming the field, before anything starts', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const plan = await backend.call('runs.plan', request(projectId, { lr: -1, 'scdr.selector': 'magic', nope: 1 }))
    expect(plan.ok).toBe(false)
    expect(plan.problems.map((p) => p.field).sort()).toEqual(['lr', 'overrides.nope', 'scdr.selector'])
    expect(plan.problems.find((p) => p.field === 'lr')!.message).toMatch(/^lr must be a number above 0/)

    const reply = await backend.dispatch('runs.start', request(projectId, { lr: -1 }))
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^lr must be/) } })
    const noMethod = await backend.dispatch('runs.start', { ...request(projectId), method: 'magic' })
    expect(noMethod).toMatchObject({ ok: false, error: { message: 'method: expected one of self-training, supervised, fixmatch, flexmatch, scdr, spp-scl' } })
    expect(await backend.call('runs.list', { projectId })).toEqual([])
  })

  it('a teacher: its stats are stored on the run; a finished run teaches the next; a run that is not finished is refused by the plan', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const refused = await backend.call('runs.plan', request(projectId, { 'teacher.source': 'run', 'teacher.run': 99 }))
    expect(refused.problems.map((p) => p.field)).toEqual(['overrides.teacher.run'])
    const first = await finished(backend, (await backend.call('runs.start', request(projectId, { 'teacher.source': 'text', 'teacher.filter': 'off' }))).runId)
    expect(first.status).toBe('done')
    expect(first.teacher).toMatchObject({ source: 'text', filter: 'off' })
    expect(first.teacher!.kept.reduce((a, b) => a + b, 0)).toBe(first.teacher!.posts)
    expect(first.curves.some((c) => c.series === 'lteacher')).toBe(true)
    const second = await finished(backend, (await backend.call('runs.start', request(projectId, { 'teacher.source': 'run', 'teacher.run': first.id, 'teacher.filter': 'off' }))).runId)
    expect(second.status).toBe('done')
    expect(second.teacher).toMatchObject({ source: 'run', detail: expect.stringContaining(`run #${first.id}'s fused predictions`) })
    // The first run's labeled posts have no proposal: they are the posts the second teacher leaves untaught.
    expect(second.teacher!.kept.reduce((a, b) => a + b, 0)).toBe(second.teacher!.posts - first.labels.total)
  })

  it('text-guided fusion: refused until the image regions are extracted, then trains, proposes and predicts through them', async () => {
    const backend = testBackend()
    const { projectId, postIds } = trainingProject(backend.store)
    const ask = request(projectId, { fusion: 'text-guided', 'tgf.dim': 8, 'tgf.heads': 2 })
    const before = await backend.call('runs.plan', ask)
    expect(before.ok).toBe(false)
    expect(before.problems.find((p) => p.field === 'regions')?.message).toMatch(/^regions: extract region features first: 75 of the 75 posts .*--regions 2/)
    expect(before.regions).toEqual({ grid: 2, missing: 75, reason: 'extract region features first: 75 posts have no 2×2 image regions' })
    // Region rows as extraction stores them (float16), without running MobileNetV2.
    const info = regionInfo(builtInPairInfo('default')!, 2)!
    backend.store.features.write(postIds.map((postId, i) => ({ postId, encoder: info.id, view: 'clean', precision: 'float16' as const, vector: Float32Array.from({ length: info.dim }, (_, j) => ((i + j) % 7) / 7) })))
    const after = await backend.call('runs.plan', ask)
    expect(after).toMatchObject({ ok: true, regions: { grid: 2, missing: 0, reason: null } })
    const run = await finished(backend, (await backend.call('runs.start', ask)).runId)
    expect(run.status).toBe('done')
    expect(run.config).toMatchObject({ fusion: 'text-guided', tgf: { grid: 2, heads: 2, dim: 8, combine: 'gate' } })
    // Its proposals reach the review (every post here carries an imported label of its own).
    const page = await backend.call('review.queue', { runId: run.id, offset: 0, limit: 5 })
    expect(page.total + page.labeled).toBeGreaterThan(0)
    const set = await backend.call('predict.run', { projectId, runId: run.id })
    expect(set).toMatchObject({ posts: 75, missing: 0 })
  })

  it('says to extract first when features are missing, and counts the labels a plan would use', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store, { features: false })
    const plan = await backend.call('runs.plan', request(projectId))
    expect(plan).toMatchObject({ ok: false, featuresReady: false, featuresMissing: 75, labels: { total: 15, imported: 15 } })
    expect(plan.problems.map((p) => p.field)).toEqual(['features'])
    expect(plan.problems[0]!.message).toMatch(/common-ground extract/)
    const reply = await backend.dispatch('runs.start', request(projectId))
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^features: 75 of the 75 posts/) } })
    expect(await backend.call('runs.list', { projectId })).toEqual([])
  })

  it('a budget larger than the train labels hold is a problem of the budget field, with what the draw can give', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const plan = await backend.call('runs.plan', { ...request(projectId), labels: { mode: 'draw', n: 500, draw: 'per-class' } })
    expect(plan.ok).toBe(false)
    // The launch dialog shows a problem beside the control its field names: here the budget's.
    const problem = plan.problems.find((p) => p.field === 'labels.n')
    expect(problem?.message).toMatch(/^labels\.n: asked for 500 labels, but the train posts hold only \d+ human or imported labels that fit the draw \(per-class\)$/)
    expect(Number(/only (\d+)/.exec(problem!.message)![1])).toBe(plan.labels.total)
  })

  it('marks a killed trainer failed with the reason, leaves the store usable, and one run at a time per project', async () => {
    let handle: TrainerHandle | undefined
    const backend = testBackend({ launchTrainer: () => (handle = forkTrainer()) })
    const { projectId } = trainingProject(backend.store)
    const { runId } = await backend.call('runs.start', request(projectId, { steps: 2000 }))
    await reached(backend, runId, 1)
    // A window opened now finds the run and its latest progress.
    expect((await backend.call('runs.list', { projectId }))[0]).toMatchObject({ id: runId, status: 'running', progress: { runId, phase: 'training', steps: 2000 } })
    const second = await backend.dispatch('runs.start', request(projectId))
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`Run #${runId} is already running`) } })
    expect((await backend.dispatch('runs.delete', { runId })).ok).toBe(false)

    handle!.kill()
    const run = await finished(backend, runId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/the trainer stopped before it finished \(killed by SIGKILL/)
    // The store answers, and the project takes a new run.
    expect(backend.store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    const { runId: next } = await backend.call('runs.start', request(projectId, { steps: 10 }))
    expect((await finished(backend, next)).status).toBe('done')
    expect(await backend.call('runs.delete', { runId })).toEqual({ deleted: true })
    expect(existsSync(backend.store.runDir(projectId, runId))).toBe(false)
  })

  it('a run cancelled, or killed, then resumed ends with the same metrics and pseudo-labels as one never stopped', async () => {
    let handle: TrainerHandle | undefined
    const backend = testBackend({ launchTrainer: () => (handle = forkTrainer()) })
    const { projectId } = trainingProject(backend.store)
    const long = { steps: 150 }
    const pseudo = (runId: number) => backend.store.db.prepare('SELECT post_id, label, confidence, loss FROM pseudo_labels WHERE run_id = ? ORDER BY post_id').all(runId)

    const straight = await finished(backend, (await backend.call('runs.start', request(projectId, long))).runId)
    expect(straight.status).toBe('done')

    const cancelled = (await backend.call('runs.start', request(projectId, long))).runId
    await reached(backend, cancelled, 25)
    expect(await backend.call('runs.cancel', { runId: cancelled })).toEqual({ cancelled: true })
    const stopped = await finished(backend, cancelled)
    expect(stopped.status).toBe('cancelled')
    expect(stopped.step).toBeGreaterThanOrEqual(25)
    expect(stopped.step).toBeLessThan(150)
    // Its curves so far stay with it (the run's page shows them), through the step it resumes from.
    expect(stopped.curves).toEqual(straight.curves.filter((c) => c.step <= stopped.step))
    await backend.call('runs.resume', { runId: cancelled })
    // A window opened while it resumes gets them followed by the steps trained since.
    await reached(backend, cancelled, stopped.step + 20)
    const midway = await backend.call('runs.get', { runId: cancelled })
    const last = Math.max(...midway.curves.map((c) => c.step))
    expect(last).toBeGreaterThanOrEqual(stopped.step + 20)
    expect(midway.curves).toEqual(straight.curves.filter((c) => c.step <= last))
    const resumed = await finished(backend, cancelled)
    expect(resumed.status).toBe('done')

    const killed = (await backend.call('runs.start', request(projectId, long))).runId
    await reached(backend, killed, 25)
    handle!.kill()
    const died = await finished(backend, killed)
    expect(died.status).toBe('failed')
    // The shell ended it and reads no checkpoint: nothing stored, nothing lost (a resume continues from the checkpoint).
    expect(died.curves).toEqual([])
    await backend.call('runs.resume', { runId: killed })
    const recovered = await finished(backend, killed)
    expect(recovered.status).toBe('done')

    for (const run of [resumed, recovered]) {
      expect(outcome(run)).toEqual(outcome(straight))
      expect(pseudo(run.id)).toEqual(pseudo(straight.id))
    }
  })

  it('reads a checkpoint back from its file exactly as it was saved', async () => {
    // readFileSync gives a Buffer from a shared pool: its slice is a view, not a copy.
    const state = {
      version: 2,
      fingerprint: 'f',
      step: 7,
      params: { w: Float32Array.from([1.5, -2, 3]) },
      optimizer: { t: 7, slots: { m: Float64Array.from([0.25]) } },
      flex: { selected: Int32Array.from([-1, 2]), beta: Float64Array.from([0.5]) },
    } as unknown as TrainerCheckpoint
    const files = checkpointFiles(tempDir(), () => undefined)
    await files.save(state)
    expect(await files.load()).toEqual(decodeCheckpoint(encodeCheckpoint(state)))
    expect((await files.load())!.params).toEqual({ w: Float32Array.from([1.5, -2, 3]) })
  })

  it("gives a stopped run the curves of its checkpoint; none without one, or when it does not read", async () => {
    const dir = tempDir()
    expect(checkpointCurves(dir)).toEqual([])
    const curves: CurvePoint[] = [{ step: 1, series: 'loss', value: 0.5 }, { step: 2, series: 'loss', value: 0.25 }]
    await checkpointFiles(dir, () => undefined).save({ version: 2, fingerprint: 'f', step: 2, params: {}, curves } as unknown as TrainerCheckpoint)
    expect(checkpointCurves(dir)).toEqual(curves)
    writeFileSync(path.join(dir, CHECKPOINT_FILE), 'not a checkpoint')
    expect(checkpointCurves(dir)).toEqual([])
  })
})
