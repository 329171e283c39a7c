// Predict on one project: the request, its progress and time left (followed through its events, so
// a dialog closed and opened again, or another window, sees the same job), a cancel, and the set it
// stored. One predict at a time per project, as the back end holds it.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { PredictionSetSummary, PredictProgress, PredictRequest } from '#shared/predictions'
import { api, errorMessage } from '../api/client'

export const usePredictStore = defineStore('predict', () => {
  const projectId = ref<number | null>(null)
  /** The predict in flight on this project, as its last event told; null when none runs. */
  const job = shallowRef<PredictProgress | null>(null)
  /** Projects whose predict this window asked for and waits the answer of (their end comes with it). */
  const asking = new Set<number>()
  /** The back end has taken the predict (its first event came): a cancel reaches it from now on. */
  const taken = ref(false)
  const cancelling = ref(false)
  const set = shallowRef<PredictionSetSummary | null>(null)
  /** The last predict was cancelled (nothing of it was stored). */
  const cancelled = ref(false)
  const error = ref<string | null>(null)

  api.on('predict.progress', (event) => {
    if (event.projectId !== projectId.value) return
    job.value = event
    taken.value = true
  })
  api.on('predict.finished', (event) => {
    // A predict this window asked for ends with its answer (predict()); one started elsewhere ends here.
    if (event.projectId !== projectId.value || asking.has(event.projectId)) return
    job.value = null
    taken.value = false
    cancelling.value = false
    cancelled.value = event.outcome === 'cancelled'
    error.value = event.outcome === 'failed' ? (event.error ?? 'predict failed') : null
    if (event.outcome === 'done' && event.setId !== undefined) void showSet(event.projectId, event.setId)
  })

  async function showSet(project: number, setId: number): Promise<void> {
    try {
      const found = (await api.call('predict.list', { projectId: project })).find((s) => s.id === setId) ?? null
      if (project === projectId.value) set.value = found
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  function open(id: number): void {
    if (projectId.value === id) return
    projectId.value = id
    job.value = null
    taken.value = false
    set.value = null
    cancelled.value = false
    error.value = null
  }

  async function predict(source: Pick<PredictRequest, 'runId' | 'modelPath'>): Promise<void> {
    const project = projectId.value
    if (project === null || asking.has(project)) return
    asking.add(project)
    set.value = null
    cancelled.value = false
    error.value = null
    job.value = { projectId: project, phase: 'starting', done: 0, total: 0, etaMs: null }
    // The dialog may have moved to another project meanwhile: the answer then only ends the wait.
    const current = (): boolean => projectId.value === project
    try {
      const answer = await api.call('predict.run', { projectId: project, ...source })
      if (current()) set.value = answer
    } catch (err) {
      // The answer to a cancel is an error that says so: shown as the outcome, not as a failure.
      if (current() && cancelling.value) cancelled.value = true
      else if (current()) error.value = errorMessage(err)
    } finally {
      asking.delete(project)
      if (current()) {
        taken.value = false
        cancelling.value = false
        job.value = null
      }
    }
  }

  async function cancel(): Promise<void> {
    if (projectId.value === null || !taken.value || cancelling.value) return
    cancelling.value = true
    try {
      await api.call('predict.cancel', { projectId: projectId.value })
    } catch (err) {
      cancelling.value = false
      error.value = errorMessage(err)
    }
  }

  return { projectId, job, taken, cancelling, set, cancelled, error, open, predict, cancel }
})
