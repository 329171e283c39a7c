// Runs: presets, plans, starting, cancelling and resuming training, the history and one run's
// details. Training itself runs in the trainer process (app/training-jobs.ts).
import type { RunRequest } from '#shared/runs'
import type { Store } from '#main/db/store'
import { parseEncoderId } from '#main/features/encoder-choices'
import { runPresets } from '#main/training/run-config'
import { AppError, badRequest, notFound } from '#main/core/errors'
import { loadProbe, withProbeBaseline } from '../probe-results'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type RunMethods = 'runs.presets' | 'runs.plan' | 'runs.start' | 'runs.cancel' | 'runs.resume' | 'runs.list' | 'runs.get' | 'runs.delete'

/** A checked run request with its project found and its encoder pair resolved; the config's own problems are left to the plan. */
export async function resolveRunRequest(store: Store, request: RunRequest): Promise<RunRequest> {
  requireProject(store, request.projectId)
  try {
    return { ...request, encoder: await parseEncoderId(request.encoder) }
  } catch (err) {
    throw err instanceof AppError ? err : badRequest(`encoder: ${(err as Error).message}`)
  }
}

export function runHandlers({ store, runs }: HandlerContext): HandlerGroup<RunMethods> {
  const requireRun = (runId: number): number => {
    if (!store.runs.exists(runId)) throw notFound(`No run with id ${runId}`)
    return runId
  }

  return {
    handlers: {
      'runs.presets': () => runPresets(),
      'runs.plan': async (request) => runs.plan(await resolveRunRequest(store, request)),
      'runs.start': async (request) => ({ runId: await runs.start(await resolveRunRequest(store, request)) }),
      'runs.cancel': ({ runId }) => ({ cancelled: runs.cancel(requireRun(runId)) }),
      'runs.resume': async ({ runId }) => ({ runId: await runs.resume(requireRun(runId)) }),
      'runs.list': ({ projectId }) => {
        const probe = loadProbe(store.probeFile(requireProject(store, projectId)))
        return runs.list(projectId).map((run) => withProbeBaseline(run, probe))
      },
      'runs.get': ({ runId }) => {
        const run = runs.get(requireRun(runId))
        return withProbeBaseline(run, loadProbe(store.probeFile(run.projectId)))
      },
      'runs.delete': async ({ runId }) => ({ deleted: await runs.delete(requireRun(runId)) }),
    },
    dispose: () => runs.cancelAll(),
  }
}
