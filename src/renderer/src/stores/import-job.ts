// One import at a time: start it, follow its progress events, cancel it, keep its outcome.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ImportFinished, ImportFormat, ImportProgress } from '#shared/imports'
import { api, errorMessage } from '../api/client'

export type ImportStatus = 'idle' | 'starting' | 'running' | 'finished'
export type Detection = { format: ImportFormat | null; reason: string }

export const useImportJobStore = defineStore('importJob', () => {
  const status = ref<ImportStatus>('idle')
  const jobId = ref<string | null>(null)
  const projectId = ref<number | null>(null)
  const progress = shallowRef<ImportProgress | null>(null)
  const finished = shallowRef<ImportFinished | null>(null)
  const error = ref<string | null>(null)
  const cancelling = ref(false)
  const detection = shallowRef<Detection | null>(null)
  const busy = computed(() => status.value === 'starting' || status.value === 'running')

  // Events can outrun the answer to imports.start (they travel on another channel), so while
  // starting, keep this project's latest news per job and apply ours once its id is known.
  type JobNews = { progress?: ImportProgress; finished?: ImportFinished }
  const early = new Map<string, JobNews>()

  function route(event: { jobId: string; projectId: number }, news: JobNews): void {
    if (status.value === 'starting' && event.projectId === projectId.value) {
      early.set(event.jobId, { ...early.get(event.jobId), ...news })
    } else if (status.value === 'running' && event.jobId === jobId.value) {
      apply(news)
    }
  }

  function apply(news: JobNews): void {
    if (news.progress) progress.value = news.progress
    if (news.finished) finish(news.finished)
  }

  api.on('imports.progress', (event) => route(event, { progress: event }))
  api.on('imports.finished', (event) => route(event, { finished: event }))

  let detectSeq = 0

  function finish(event: ImportFinished): void {
    finished.value = event
    status.value = 'finished'
    cancelling.value = false
  }

  function reset(): void {
    detectSeq++
    detection.value = null
    status.value = 'idle'
    jobId.value = null
    progress.value = null
    finished.value = null
    error.value = null
    cancelling.value = false
  }

  async function start(forProject: number, path: string, format: ImportFormat | undefined): Promise<void> {
    reset()
    projectId.value = forProject
    status.value = 'starting'
    early.clear()
    try {
      const started = await api.call('imports.start', { projectId: forProject, path, ...(format ? { format } : {}) })
      jobId.value = started.jobId
      status.value = 'running'
      apply(early.get(started.jobId) ?? {})
    } catch (err) {
      status.value = 'idle'
      error.value = errorMessage(err)
    } finally {
      early.clear()
    }
  }

  async function cancel(): Promise<void> {
    if (status.value !== 'running' || !jobId.value) return
    cancelling.value = true
    try {
      await api.call('imports.cancel', { jobId: jobId.value })
    } catch (err) {
      cancelling.value = false
      error.value = errorMessage(err)
    }
  }

  /** Asks the back end what it makes of `path`; only the answer to the latest question is kept. */
  async function detect(path: string): Promise<void> {
    const seq = ++detectSeq
    if (path.trim() === '') {
      detection.value = null
      return
    }
    try {
      const answer = await api.call('imports.detect', { path })
      if (seq === detectSeq) detection.value = answer
    } catch (err) {
      if (seq === detectSeq) detection.value = { format: null, reason: errorMessage(err) }
    }
  }

  return { status, jobId, projectId, progress, finished, error, cancelling, detection, busy, start, cancel, reset, detect }
})
