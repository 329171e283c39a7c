// Predict through the back end: a finished run exported as ONNX gives, on the run's own posts, the
// probabilities its TensorFlow.js model gives (within 1e-4); the run and its exported folder both
// apply to another project with the same pair's features; the set is listed and exported as CSV;
// bad sources are refused naming the field.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { buildMethod } from '#main/training/trainer'
import type { TrainingConfig } from '#main/training/config'
import type { TrainingData } from '#main/training/data'
import type { Preprocessing } from '#main/training/worker/run-files'
import { predictAll } from '#main/training/evaluate'
import { DEFAULT_IMAGE_ID } from '#main/features/encoders/default/image-encoder'
import { builtInPairInfo, CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { testBackend } from './support/backend'
import { tempDir } from './support/temp'
import { trainingProject } from './support/training-project'
import type { PredictProgress } from '#shared/predictions'
import { modelOfFolder, predictPosts } from '#main/training/onnx/predict-posts'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const SMALL = { steps: 30, hidden: 16, clsHidden: 16, batchLabeled: 8, batchUnlabeled: 16, evalEvery: 10, checkpointEvery: 10 }

/** Self-training's head by hand: [text | image] · w + b. */
function linear(tensors: Record<string, tf.Tensor>, t: { rows: number; dim: number; data: Float32Array }, v: { rows: number; dim: number; data: Float32Array }): Float32Array {
  return tf.tidy(() => tf.add(tf.matMul(tf.concat([tf.tensor2d(t.data, [t.rows, t.dim]), tf.tensor2d(v.data, [v.rows, v.dim])], 1), tensors.w!), tensors.b!).dataSync() as Float32Array)
}

/** softmax(logits / T) of the TensorFlow.js model (T: the run's calibration), fed the store's raw vectors standardised as preprocessing.json says. */
function tfjsProbabilities(folder: string, txt: Float32Array, img: Float32Array, rows: number, temperature: number): Float32Array {
  const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'))
  const pre = JSON.parse(readFileSync(path.join(folder, 'preprocessing.json'), 'utf8')) as Preprocessing
  const bytes = readFileSync(path.join(folder, 'weights.bin'))
  const tensors = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), modelJson.weightsManifest[0].weights)
  const standardise = (x: Float32Array, s: { mean: number[]; inverseStd: number[] }) => x.map((v, i) => (v - s.mean[i % s.mean.length]!) * s.inverseStd[i % s.mean.length]!)
  const t = { rows, dim: txt.length / rows, data: standardise(txt, pre.standardize!.text) }
  const v = { rows, dim: img.length / rows, data: standardise(img, pre.standardize!.image) }
  const config = modelJson.modelTopology.config as TrainingConfig
  const shape = { labeled: { txt: { clean: { dim: t.dim } }, img: { clean: { dim: v.dim } } }, unlabeled: { ids: [] } } as unknown as TrainingData
  const logits = config.method === 'self-training' ? linear(tensors, t, v) : predictAll(buildMethod(config, shape).method, new Map(Object.entries(tensors)), t, v).logits
  Object.values(tensors).forEach((x) => x.dispose())
  return tf.tidy(() => tf.softmax(tf.div(tf.tensor2d(logits, [rows, 3]), temperature)).dataSync() as Float32Array)
}

describe('predict', () => {
  it.each(['self-training', 'fixmatch', 'scdr', 'spp-scl'] as const)('%s: the exported ONNX model equals the TensorFlow.js model within 1e-4 on the run\'s posts, and predicts another project', async (method) => {
    const backend = testBackend()
    const { projectId, postIds } = trainingProject(backend.store)
    const { runId } = await backend.call('runs.start', { projectId, method, preset: 'quick', labels: { mode: 'draw', n: 15, draw: 'per-class' }, seed: 3, overrides: SMALL })
    await backend.runs.whenFinished(runId)
    expect((await backend.call('runs.get', { runId })).status).toBe('done')

    const target = path.join(tempDir('cg-model-'), 'exported')
    const exported = await backend.call('exports.model', { runId, path: target })
    expect(exported.files).toEqual(['common-ground.json', 'model.json', 'model.onnx', 'preprocessing.json', 'weights.bin'])
    const metadata = JSON.parse(readFileSync(path.join(target, 'common-ground.json'), 'utf8'))
    const text = builtInPairInfo(CURRENT_DEFAULT)!.text
    expect(metadata).toMatchObject({
      format: 'tfjs+onnx',
      method,
      encoder: CURRENT_DEFAULT,
      encoders: { text: { id: text.id, dim: text.dim }, image: { id: DEFAULT_IMAGE_ID } },
      classes: ['negative', 'neutral', 'positive'],
      // The temperature fitted on the run's val posts; the class prior is in the saved biases.
      calibration: { temperature: expect.any(Number), logitAdjustment: null },
      onnx: { file: 'model.onnx', inputs: { text: 'text_features', image: 'image_features' }, standardisation: 'in-graph' },
      run: { id: runId, method },
    })

    // The exported folder on the run's own posts, against the TensorFlow.js model on the same vectors.
    const set = await backend.call('predict.run', { projectId, modelPath: target })
    expect(set).toMatchObject({ projectId, runId: null, modelPath: target, method, posts: postIds.length, missing: 0 })
    const csv = path.join(tempDir('cg-pred-'), 'predictions.csv')
    expect(await backend.call('exports.predictions', { setId: set.id, path: csv })).toEqual({ path: csv, rows: postIds.length })
    const lines = readFileSync(csv, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('id,split,prediction,confidence,p_negative,p_neutral,p_positive,label')
    const onnx = Float32Array.from(lines.slice(1).flatMap((l) => l.split(',').slice(4, 7).map(Number)))
    const read = (encoder: string) => {
      const vectors = backend.store.features.readAll(projectId, encoder, 'clean')
      const dim = vectors.get(postIds[0]!)!.length
      const out = new Float32Array(postIds.length * dim)
      postIds.forEach((id, i) => out.set(vectors.get(id)!, i * dim))
      return out
    }
    const expected = tfjsProbabilities(path.join(target), read(text.id), read(DEFAULT_IMAGE_ID), postIds.length, metadata.calibration.temperature)
    let worst = 0
    onnx.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - expected[i]!))))
    expect(worst).toBeLessThan(1e-4)

    // Another project with the pair's features: the run (from its project) and the folder agree.
    const other = trainingProject(backend.store, { posts: 20, name: 'new import' })
    const byRun = await backend.call('predict.run', { projectId: other.projectId, runId })
    const byFolder = await backend.call('predict.run', { projectId: other.projectId, modelPath: target })
    expect(byRun).toMatchObject({ projectId: other.projectId, runId, posts: 20 })
    expect(byFolder.perClass).toEqual(byRun.perClass)
    expect(byFolder.meanConfidence).toBeCloseTo(byRun.meanConfidence, 6)
    expect((await backend.call('predict.list', { projectId: other.projectId })).map((s) => s.id)).toEqual([byFolder.id, byRun.id])
    // The grid shows each post's latest prediction.
    const page = await backend.call('posts.page', { projectId: other.projectId, offset: 0, limit: 5 })
    expect(page.rows[0]!.prediction).toMatchObject({ setId: byFolder.id, label: expect.stringMatching(/negative|neutral|positive/) })

    // Posts without one of the pair's vectors are left out and counted; every other post keeps its own prediction.
    const gone = [other.postIds[0]!, other.postIds[7]!, other.postIds[19]!]
    const drop = backend.store.db.prepare('DELETE FROM features WHERE post_id = ? AND encoder = ?')
    drop.run(gone[0], DEFAULT_IMAGE_ID)
    drop.run(gone[1], text.id)
    drop.run(gone[2], DEFAULT_IMAGE_ID)
    const partial = await backend.call('predict.run', { projectId: other.projectId, runId })
    expect(partial).toMatchObject({ posts: 17, missing: 3 })
    const rows = (setId: number) => new Map(backend.store.predictions.page(setId, 0, 100).map((r) => [r.postId, [r.pNegative, r.pNeutral, r.pPositive]]))
    const [all, some] = [rows(byRun.id), rows(partial.id)]
    expect([...some.keys()]).toEqual(other.postIds.filter((id) => !gone.includes(id)))
    for (const [postId, p] of some) p.forEach((x, c) => expect(x).toBeCloseTo(all.get(postId)![c]!, 6))

    // A project without the pair's features: the trainer process's refusal comes back naming the dialog and the command that extract them, and no set is stored.
    const bare = trainingProject(backend.store, { posts: 5, features: false, name: 'no features yet' })
    expect(await backend.dispatch('predict.run', { projectId: bare.projectId, modelPath: target })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(new RegExp(`no post of the project has clean features of the pair "${CURRENT_DEFAULT}".*extract them first \\(Features… on the project page, or \`common-ground extract --project "no features yet" --encoder ${CURRENT_DEFAULT}\`\\)`)) },
    })
    expect(await backend.call('predict.list', { projectId: bare.projectId })).toEqual([])
  }, 60_000)

  it('refuses a missing source, two sources, an unknown run and a folder without a model, naming the problem', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store, { features: false })
    const empty = tempDir('cg-empty-')
    expect(await backend.dispatch('predict.run', { projectId })).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'predict.run: runId or modelPath: give exactly one' } })
    expect(await backend.dispatch('predict.run', { projectId, runId: 1, modelPath: empty })).toMatchObject({ ok: false, error: { message: 'predict.run: runId or modelPath: give exactly one' } })
    expect(await backend.dispatch('predict.run', { projectId, runId: 99 })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No run with id 99' } })
    const noModel = await backend.dispatch('predict.run', { projectId, modelPath: empty })
    expect(noModel).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining(`modelPath: ${path.join(empty, 'common-ground.json')}: cannot be read (ENOENT)`) } })
  })
})

describe('predict in flight', () => {
  it('reports its three phases in order, refuses a second predict of the project, and a cancel stores nothing', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const { runId } = await backend.call('runs.start', { projectId, method: 'self-training', preset: 'quick', labels: { mode: 'draw', n: 15, draw: 'per-class' }, seed: 3, overrides: SMALL })
    await backend.runs.whenFinished(runId)
    const big = trainingProject(backend.store, { posts: 1500, name: 'big import' })
    const events: PredictProgress[] = []
    backend.events.subscribe((event, payload) => {
      if (event === 'predict.progress') events.push(payload as PredictProgress)
    })

    // A whole predict: taken, then reading, predicting, saving in that order, never backwards, ending at 3 × posts.
    const set = await backend.call('predict.run', { projectId: big.projectId, runId })
    expect(set.posts).toBe(1500)
    expect([...new Set(events.map((e) => e.phase))]).toEqual(['starting', 'reading', 'predicting', 'saving'])
    events.forEach((e, i) => i > 0 && expect(e.done).toBeGreaterThanOrEqual(events[i - 1]!.done))
    expect(events.at(-1)).toMatchObject({ projectId: big.projectId, phase: 'saving', done: 4500, total: 4500 })

    // A second predict of the project while one runs is refused at once; a cancel stops the first, which stores nothing.
    events.length = 0
    const first = backend.dispatch('predict.run', { projectId: big.projectId, runId })
    const second = await backend.dispatch('predict.run', { projectId: big.projectId, runId })
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('already running for this project') } })
    // Cancelled as soon as the back end has taken it (its 'starting' event), before the model process has read a post.
    await expect.poll(() => events.length).toBeGreaterThan(0)
    expect(events[0]).toMatchObject({ phase: 'starting', done: 0, total: 0 })
    expect(await backend.call('predict.cancel', { projectId: big.projectId })).toEqual({ cancelled: true })
    expect(await first).toMatchObject({ ok: false, error: { code: 'conflict', message: 'predict was cancelled; nothing of its set was stored' } })
    expect(events.at(-1)!.done).toBeLessThan(4500)
    expect((await backend.call('predict.list', { projectId: big.projectId })).map((s) => s.id)).toEqual([set.id])
    expect(backend.store.db.prepare('SELECT count(*) AS sets, (SELECT count(*) FROM predictions) AS rows FROM prediction_sets').get()).toEqual({ sets: 1, rows: 1500 })
    // Nothing runs now: a cancel says so, and the next predict goes ahead.
    expect(await backend.call('predict.cancel', { projectId: big.projectId })).toEqual({ cancelled: false })
    const next = await backend.call('predict.run', { projectId: big.projectId, runId })
    expect(next.posts).toBe(1500)

    // Stopped inside the ONNX pass, or after the first chunk of the set's rows: it throws the abort and stores nothing.
    const folder = path.join(tempDir('cg-model-'), 'exported')
    await backend.call('exports.model', { runId, path: folder })
    for (const [pass, stopAt] of [['predicting', 0], ['saving', 1]] as const) {
      const stop = new AbortController()
      const seen: string[] = []
      const progress = ({ phase, done }: { phase: string; done: number }) => {
        seen.push(phase)
        if (phase === pass && done > (pass === 'saving' ? 2 * 1500 + stopAt : 1500)) stop.abort()
      }
      const request = { projectId: big.projectId, model: modelOfFolder(folder), runId: null, modelPath: folder }
      await expect(predictPosts(backend.store.db, backend.store.predictions, request, { signal: stop.signal, progress })).rejects.toThrow(/aborted/)
      expect(seen.at(-1)).toBe(pass)
      expect((await backend.call('predict.list', { projectId: big.projectId })).map((s) => s.id)).toEqual([next.id, set.id])
      expect(backend.store.db.prepare('SELECT count(*) AS sets, (SELECT count(*) FROM predictions) AS rows FROM prediction_sets').get()).toEqual({ sets: 2, rows: 3000 })
    }
  }, 60_000)
})
