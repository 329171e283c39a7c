// Features: the encoder choice, what the cache holds, extraction jobs, the linear probe. The heavy
// work (loading encoders, encoding, fitting) runs in worker processes, never on this event loop.
import path from 'node:path'
import { FEATURE_VIEWS_MAX } from '#shared/features'
import { builtInPairs, parseEncoderId } from '#main/features/encoder-choices'
import { FeatureTaskError } from '#main/features/feature-tasks'
import { featureStatus } from '#main/features/feature-status'
import { DEFAULT_VIEWS } from '#main/features/views'
import { AppError, badRequest } from '#main/core/errors'
import { ExtractionJobs } from '../extraction-jobs'
import { expandHome } from '../paths'
import * as v from '../validate'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

type FeatureMethods = 'features.encoders' | 'features.status' | 'features.extract' | 'features.cancel' | 'features.probe'

/** Longest encoder id accepted ('onnx:' and a folder path). */
const ENCODER_MAX = 4096

export function featureHandlers({ store, events, features }: HandlerContext): HandlerGroup<FeatureMethods> {
  const jobs = new ExtractionJobs(features, events)

  async function encoderOf(p: v.Payload): Promise<string> {
    try {
      return await parseEncoderId(v.text(p, 'encoder', { optional: true, max: ENCODER_MAX }))
    } catch (err) {
      throw err instanceof AppError ? err : badRequest(`encoder: ${(err as Error).message}`)
    }
  }

  const viewsOf = (p: v.Payload): number => v.int(p, 'views', 1, FEATURE_VIEWS_MAX, DEFAULT_VIEWS)

  /** A worker's refusal (bad ONNX folder, nothing to probe) is the request's fault, in the worker's words. */
  async function answer<T>(work: Promise<T>): Promise<T> {
    try {
      return await work
    } catch (err) {
      throw err instanceof FeatureTaskError ? badRequest(err.message) : err
    }
  }

  return {
    handlers: {
      'features.encoders': async (payload) => {
        const folder = v.text(v.object(payload ?? {}, 'features.encoders'), 'onnxFolder', { optional: true, max: ENCODER_MAX })?.trim()
        const check = folder ? await answer(features.checkFolder(path.resolve(expandHome(folder)))) : null
        return { pairs: await builtInPairs(), folder: check }
      },

      'features.status': async (payload) => {
        const p = v.object(payload, 'features.status')
        const projectId = requireProject(store, p, 'features.status')
        const views = viewsOf(p)
        const pair = await answer(features.describe(await encoderOf(p)))
        return { ...featureStatus(store.features, projectId, store.stats.postCount(projectId), pair, views), job: jobs.current(projectId) }
      },

      'features.extract': async (payload) => {
        const p = v.object(payload, 'features.extract')
        const projectId = requireProject(store, p, 'features.extract')
        return { jobId: jobs.start(projectId, await encoderOf(p), viewsOf(p)) }
      },

      'features.cancel': (payload) => ({ cancelled: jobs.cancel(v.text(v.object(payload, 'features.cancel'), 'jobId')!) }),

      'features.probe': async (payload) => {
        const p = v.object(payload, 'features.probe')
        const projectId = requireProject(store, p, 'features.probe')
        return answer(features.probe(projectId, await encoderOf(p)))
      },
    },
    dispose: () => jobs.cancelAll(),
  }
}
