// The training runs of one project: the list, each run's stored detail, and the live state of a
// running one (its last progress event and the curve points streamed so far). Every change,
// from this window or another, arrives as an event and is reflected here.
import { defineStore } from 'pinia'
import { ref, shallowRef, triggerRef } from 'vue'
import type { Req } from '#shared/contract'
import { LiveCurve, type CurvePoint, type RunDetail, type RunPresets, type RunProgress, type RunSummary } from '#shared/runs'
import { api, errorMessage } from '../api/client'

export const useRunsStore = defineStore('runs', () => {
  const projectId = ref<number | null>(null)
  const runs = shallowRef<RunSummary[]>([])
  const loaded = ref(false)
  const presets = shallowRef<RunPresets | null>(null)
  const details = shallowRef(new Map<number, RunDetail>())
  /** The latest progress event of each run heard from since the view opened. */
  const live = shallowRef(new Map<number, RunProgress>())
  /** Curve points streamed by progress events, per run, after the stored detail's last step (thinned as the back end thins its own). */
  const liveCurves = shallowRef(new Map<number, LiveCurve>())
  const error = ref<string | null>(null)
  /** Runs being deleted: a second or more at 100,000 pseudo-labels, shown as such meanwhile. */
  const removing = ref(new Set<number>())
  const refetchedFor = new Set<number>()

  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work()
      error.value = null
      return result
    } catch (err) {
      error.value = errorMessage(err)
      return undefined
    }
  }

  api.on('runs.progress', ({ points, ...event }) => {
    if (event.projectId !== projectId.value) return
    live.value.set(event.runId, event)
    triggerRef(live)
    let curve = liveCurves.value.get(event.runId)
    if (!curve) liveCurves.value.set(event.runId, (curve = new LiveCurve()))
    curve.add(points)
    triggerRef(liveCurves)
    // The list shows the step too: a run's first event flips it from queued to running. The
    // backend (and the labels used) are stored once training starts: the list is fetched again
    // at the first training step to learn them.
    const run = runs.value.find((r) => r.id === event.runId)
    if (run && event.phase === 'training' && run.backend === null && !refetchedFor.has(run.id)) {
      refetchedFor.add(run.id)
      void load()
    } else if (run && (run.status !== 'running' || run.step !== event.step)) {
      runs.value = runs.value.map((r) => (r.id === event.runId ? { ...r, status: 'running', step: event.step } : r))
    }
  })
  api.on('runs.finished', (event) => {
    if (event.projectId !== projectId.value) return
    live.value.delete(event.runId)
    triggerRef(live)
    void load()
    if (details.value.has(event.runId)) void loadDetail(event.runId)
  })

  function open(id: number): void {
    if (projectId.value === id) {
      void load()
      return
    }
    projectId.value = id
    runs.value = []
    loaded.value = false
    details.value = new Map()
    live.value = new Map()
    liveCurves.value = new Map()
    void load()
  }

  async function load(): Promise<void> {
    const id = projectId.value
    if (id === null) return
    const list = await attempt(() => api.call('runs.list', { projectId: id }))
    if (list && id === projectId.value) {
      runs.value = list
      loaded.value = true
    }
  }

  async function loadPresets(): Promise<void> {
    if (presets.value) return
    const answer = await attempt(() => api.call('runs.presets', undefined))
    if (answer) presets.value = answer
  }

  async function loadDetail(runId: number): Promise<RunDetail | undefined> {
    const detail = await attempt(() => api.call('runs.get', { runId }))
    if (!detail) return undefined
    details.value.set(runId, detail)
    triggerRef(details)
    // What the stored curves already hold is dropped from the streamed points.
    const last = detail.curves.reduce((max, c) => Math.max(max, c.step), 0)
    const streamed = liveCurves.value.get(runId)
    if (streamed) {
      streamed.dropThrough(last)
      triggerRef(liveCurves)
    }
    return detail
  }

  /** The stored curve points of a run followed by those streamed since. */
  function curvesOf(runId: number): CurvePoint[] {
    return [...(details.value.get(runId)?.curves ?? []), ...(liveCurves.value.get(runId)?.points ?? [])]
  }

  /** The step whose weights a finished run kept, once its stored detail says so. */
  function keptStepOf(runId: number): number | undefined {
    const detail = details.value.get(runId)
    return detail?.status === 'done' ? detail.metrics.step : undefined
  }

  /** Throws the back end's error, for the launch dialog to show. */
  async function start(request: Req<'runs.start'>): Promise<number> {
    const { runId } = await api.call('runs.start', request)
    await load()
    return runId
  }

  async function cancel(runId: number): Promise<void> {
    await attempt(() => api.call('runs.cancel', { runId }))
    await load()
  }

  async function resume(runId: number): Promise<void> {
    liveCurves.value.delete(runId)
    await attempt(() => api.call('runs.resume', { runId }))
    await load()
    await loadDetail(runId)
  }

  async function remove(runId: number): Promise<boolean> {
    removing.value.add(runId)
    const answer = await attempt(() => api.call('runs.delete', { runId })).finally(() => removing.value.delete(runId))
    details.value.delete(runId)
    await load()
    return answer?.deleted ?? false
  }

  return { projectId, runs, loaded, presets, details, live, liveCurves, error, removing, open, load, loadPresets, loadDetail, curvesOf, keptStepOf, start, cancel, resume, remove }
})
