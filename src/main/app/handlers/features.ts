// Features: the encoder choice, what the cache holds, extraction jobs, the linear probe. The heavy
// work (loading encoders, encoding, fitting) runs in worker processes, never on this event loop.
import path from 'node:path'
import { builtInPairs, DEFAULT_ENCODER, parseEncoderId } from '#main/features/encoder-choices'
import { FeatureTaskError } from '#main/features/feature-tasks'
import { DEFAULT_VIEWS } from '#main/features/views'
import { AppError, badRequest } from '#main/core/errors'
import { ExtractionJobs } from '../extraction-jobs'
import { expandHome } from '../paths'
import { saveProbe } from '../probe-results'
import { readPart } from '../read-thread/read-client'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type FeatureMethods = 'features.encoders' | 'features.status' | 'features.extract' | 'features.cancel' | 'features.probe'

export function featureHandlers({ store, events, features, reads }: HandlerContext): HandlerGroup<FeatureMethods> {
  const jobs = new ExtractionJobs(features, events)

  /** The pair a request names ('default' when it names none); what is wrong with the name is the `encoder` field's problem. */
  async function encoderOf(encoder: string | undefined): Promise<string> {
    try {
      return await parseEncoderId(encoder)
    } catch (err) {
      throw err instanceof AppError ? err : badRequest(`encoder: ${(err as Error).message}`)
    }
  }

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
      'features.encoders': async ({ onnxFolder: folder }) => {
        const check = folder ? await answer(features.checkFolder(path.resolve(expandHome(folder)))) : null
        return { pairs: await builtInPairs(), defaultPair: DEFAULT_ENCODER, folder: check }
      },

      'features.status': async ({ projectId, encoder, views = DEFAULT_VIEWS }) => {
        requireProject(store, projectId)
        const pair = await answer(features.describe(await encoderOf(encoder)))
        return { ...(await readPart(reads, 'features.counts', { projectId, pair, views })), job: jobs.current(projectId) }
      },

      'features.extract': async ({ projectId, encoder, views = DEFAULT_VIEWS, regions }) => ({
        jobId: jobs.start(requireProject(store, projectId), await encoderOf(encoder), views, regions),
      }),

      'features.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),

      'features.probe': async ({ projectId, encoder }) => {
        const report = await answer(features.probe(requireProject(store, projectId), await encoderOf(encoder)))
        saveProbe(store.probeFile(projectId), report)
        return report
      },
    },
    dispose: () => jobs.cancelAll(),
  }
}
