// What the training-run tests share: a small run's request, waiting for a run to finish or to pass a
// step, and a run row owned by some other process (as a crashed app or CLI leaves one).
import type { Backend } from '#main/app/backend'
import { PRESETS } from '#main/training/config'
import type { Req } from '#shared/contract'
import type { RunDetail } from '#shared/runs'

/** A small, quick model: what is tested is the plumbing, not the method. */
const SMALL = { steps: 60, hidden: 16, clsHidden: 16, batchLabeled: 8, batchUnlabeled: 16, evalEvery: 10, checkpointEvery: 10 }

export function request(projectId: number, overrides: Record<string, number | string | boolean> = {}): Req<'runs.start'> {
  return { projectId, method: 'fixmatch', preset: 'quick', labels: { mode: 'draw', n: 15, draw: 'per-class' }, seed: 3, overrides: { ...SMALL, ...overrides } }
}

export async function finished(backend: Backend, runId: number): Promise<RunDetail> {
  await backend.runs.whenFinished(runId)
  return backend.call('runs.get', { runId })
}

/** Resolves at the first progress of `runId` past `step`. */
export function reached(backend: Backend, runId: number, step: number): Promise<void> {
  return new Promise((resolve) => {
    const off = backend.events.subscribe((event, payload) => {
      const p = payload as { runId?: number; step?: number; phase?: string }
      if (event === 'runs.progress' && p.runId === runId && p.phase === 'training' && p.step! >= step) {
        off()
        resolve()
      }
    })
  })
}

/** A queued run of `projectId` recorded as owned by process `ownerPid` (this boot), written straight to the store. */
export function runOwnedBy(backend: Backend, projectId: number, ownerPid: number): number {
  return backend.store.runs.create({
    projectId,
    method: 'scdr',
    preset: 'quick',
    encoder: 'default',
    seed: 1,
    steps: 10,
    request: { projectId, method: 'scdr', preset: 'quick', labels: { mode: 'current' } },
    config: PRESETS.quick,
    ownerPid,
  })
}
