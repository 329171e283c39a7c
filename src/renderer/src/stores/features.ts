// The Features panel of one project: the encoder choice, what the cache holds, the extraction job
// (followed through its events, and found again after a reload through the status), the probe.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EncoderChoices, ExtractionFinished, ExtractionProgress, FeatureStatus, OnnxFolderCheck, ProbeReport } from '#shared/features'
import { api, errorMessage } from '../api/client'

/** The encoder select's value for "a folder of ONNX encoders". */
export const ONNX_CHOICE = 'onnx'
const DEFAULT_ALIAS = 'default'

export const useFeaturesStore = defineStore('features', () => {
  const projectId = ref<number | null>(null)
  const choices = shallowRef<EncoderChoices | null>(null)
  /**
   * A built-in pair id, or ONNX_CHOICE. 'default' (the back end's name for the current default pair)
   * until the choices arrive, then the id it stands for, so that the select shows which pair it is.
   */
  const choice = ref(DEFAULT_ALIAS)
  const folderCheck = shallowRef<OnnxFolderCheck | null>(null)
  const views = ref(1)
  const status = shallowRef<FeatureStatus | null>(null)
  const loadingStatus = ref(false)
  const job = shallowRef<ExtractionProgress | null>(null)
  const starting = ref(false)
  const cancelling = ref(false)
  const finished = shallowRef<ExtractionFinished | null>(null)
  const probe = shallowRef<ProbeReport | null>(null)
  const probing = ref(false)
  const error = ref<string | null>(null)

  /** The pair id to send, or null while an ONNX folder is not (yet) usable. */
  const encoder = computed(() => (choice.value === ONNX_CHOICE ? (folderCheck.value?.encoder ?? null) : choice.value))
  const busy = computed(() => starting.value || job.value !== null)

  api.on('features.progress', (event) => {
    if (event.projectId === projectId.value) job.value = event
  })
  api.on('features.finished', (event) => {
    if (event.projectId !== projectId.value) return
    job.value = null
    cancelling.value = false
    finished.value = event
    void loadStatus()
  })

  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    error.value = null
    try {
      return await work()
    } catch (err) {
      error.value = errorMessage(err)
      return undefined
    }
  }

  function open(id: number): void {
    if (projectId.value === id) return
    projectId.value = id
    status.value = null
    job.value = null
    finished.value = null
    probe.value = null
    error.value = null
  }

  async function loadChoices(): Promise<void> {
    const answer = await attempt(() => api.call('features.encoders', {}))
    if (!answer) return
    choices.value = answer
    if (choice.value === DEFAULT_ALIAS) choice.value = answer.defaultPair
  }

  /** Asks the back end about an ONNX folder; only the answer to the latest question is kept. */
  let checkSeq = 0
  async function checkFolder(path: string): Promise<void> {
    const seq = ++checkSeq
    if (path.trim() === '') {
      folderCheck.value = null
      return
    }
    const answer = await attempt(() => api.call('features.encoders', { onnxFolder: path }))
    if (answer && seq === checkSeq) folderCheck.value = answer.folder
  }

  let statusSeq = 0
  async function loadStatus(): Promise<void> {
    const seq = ++statusSeq
    const id = projectId.value
    const pair = encoder.value
    if (id === null || pair === null) {
      status.value = null
      return
    }
    loadingStatus.value = true
    const answer = await attempt(() => api.call('features.status', { projectId: id, encoder: pair, views: views.value }))
    if (seq !== statusSeq) return
    loadingStatus.value = false
    status.value = answer ?? null
    // A job started elsewhere (another window, or before a reload) is followed from here on.
    if (answer?.job) job.value = answer.job
  }

  const hasFinished = (jobId: string): boolean => finished.value?.jobId === jobId

  /** `regions`: also the image region grid of that side (text-guided fusion reads it). */
  async function extract(regions?: number): Promise<void> {
    const id = projectId.value
    const pair = encoder.value
    if (id === null || pair === null || busy.value) return
    starting.value = true
    finished.value = null
    const started = await attempt(() => api.call('features.extract', { projectId: id, encoder: pair, views: views.value, ...(regions ? { regions } : {}) }))
    starting.value = false
    // Its events travel on another channel: it may have reported, or even finished, already.
    if (started && !job.value && !hasFinished(started.jobId)) job.value = { jobId: started.jobId, projectId: id, encoder: pair, phase: 'starting', done: 0, total: 0, postsPerSecond: null, etaMs: null }
  }

  async function cancel(): Promise<void> {
    const running = job.value
    if (!running) return
    cancelling.value = true
    const answer = await attempt(() => api.call('features.cancel', { jobId: running.jobId }))
    if (!answer) cancelling.value = false
  }

  async function runProbe(): Promise<void> {
    const id = projectId.value
    const pair = encoder.value
    if (id === null || pair === null) return
    probing.value = true
    probe.value = (await attempt(() => api.call('features.probe', { projectId: id, encoder: pair }))) ?? null
    probing.value = false
  }

  return {
    projectId,
    choices,
    choice,
    folderCheck,
    views,
    status,
    loadingStatus,
    job,
    starting,
    cancelling,
    finished,
    probe,
    probing,
    error,
    encoder,
    busy,
    open,
    loadChoices,
    checkFolder,
    loadStatus,
    extract,
    cancel,
    runProbe,
  }
})
