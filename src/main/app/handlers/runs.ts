// Runs: presets, plans, starting, cancelling and resuming training, the history and one run's
// details. Training itself runs in the trainer process (app/training-jobs.ts).
import { LABEL_DRAWS, RUN_METHODS, type RunLabels, type RunRequest } from '#shared/runs'
import { parseEncoderId } from '#main/features/encoder-choices'
import { runPresets } from '#main/training/run-config'
import { AppError, badRequest, notFound } from '#main/core/errors'
import * as v from '../validate'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

type RunMethods = 'runs.presets' | 'runs.plan' | 'runs.start' | 'runs.cancel' | 'runs.resume' | 'runs.list' | 'runs.get' | 'runs.delete'

/** Most labels a draw may ask for; far above any project, it only bounds nonsense. */
const LABELS_MAX = 10_000_000
const ENCODER_MAX = 4096

function labelsOf(p: v.Payload): RunLabels {
  const labels = v.nested(p, 'labels', (inner): RunLabels => {
    const mode = v.requiredOneOf(inner, 'mode', ['draw', 'current'] as const)
    if (mode === 'current') return { mode }
    return { mode, n: v.int(inner, 'n', 1, LABELS_MAX), draw: v.oneOf(inner, 'draw', LABEL_DRAWS) ?? 'per-class' }
  })
  if (!labels) throw badRequest('labels: required ({ mode: "draw", n, draw } or { mode: "current" })')
  return labels
}

function overridesOf(p: v.Payload): Record<string, number | string | boolean> | undefined {
  return v.nested(p, 'overrides', (inner) => {
    for (const [key, value] of Object.entries(inner)) {
      if (!['number', 'string', 'boolean'].includes(typeof value)) throw badRequest(`${key}: expected a number, text or true/false`)
    }
    return inner as Record<string, number | string | boolean>
  })
}

/** A run request, every field checked; the config's own problems are left to the plan. */
export async function runRequestOf(store: HandlerContext['store'], payload: unknown, method: string): Promise<RunRequest> {
  const p = v.object(payload, method)
  const projectId = requireProject(store, p, method)
  let encoder: string
  try {
    encoder = await parseEncoderId(v.text(p, 'encoder', { optional: true, max: ENCODER_MAX }))
  } catch (err) {
    throw err instanceof AppError ? err : badRequest(`encoder: ${(err as Error).message}`)
  }
  const seed = p.seed === undefined || p.seed === null ? undefined : v.int(p, 'seed', 0, 2 ** 32 - 1)
  const overrides = overridesOf(p)
  return {
    projectId,
    method: v.requiredOneOf(p, 'method', RUN_METHODS),
    preset: v.text(p, 'preset', { optional: true, max: 100 }) ?? 'default',
    labels: labelsOf(p),
    encoder,
    ...(seed !== undefined ? { seed } : {}),
    ...(overrides ? { overrides } : {}),
  }
}

export function runHandlers({ store, runs }: HandlerContext): HandlerGroup<RunMethods> {
  const runIdOf = (payload: unknown, method: string): number => {
    const runId = v.id(v.object(payload, method), 'runId')
    if (!store.runs.exists(runId)) throw notFound(`No run with id ${runId}`)
    return runId
  }

  return {
    handlers: {
      'runs.presets': () => runPresets(),
      'runs.plan': async (payload) => runs.plan(await runRequestOf(store, payload, 'runs.plan')),
      'runs.start': async (payload) => ({ runId: await runs.start(await runRequestOf(store, payload, 'runs.start')) }),
      'runs.cancel': (payload) => ({ cancelled: runs.cancel(runIdOf(payload, 'runs.cancel')) }),
      'runs.resume': async (payload) => ({ runId: await runs.resume(runIdOf(payload, 'runs.resume')) }),
      'runs.list': (payload) => runs.list(requireProject(store, payload, 'runs.list')),
      'runs.get': (payload) => runs.get(runIdOf(payload, 'runs.get')),
      'runs.delete': (payload) => ({ deleted: runs.delete(runIdOf(payload, 'runs.delete')) }),
    },
    dispose: () => runs.cancelAll(),
  }
}
