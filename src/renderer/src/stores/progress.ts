// Labeled counts per class and modality against the project's target. Refetched a moment after
// labels change (here or in another window): at most one request per REFRESH_MS, however fast
// the keys come, and always one after the last change.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LabelProgress } from '#shared/labeling'
import { api, errorMessage } from '../api/client'

const REFRESH_MS = 400

export const useProgressStore = defineStore('progress', () => {
  const progress = shallowRef<LabelProgress | null>(null)
  const error = ref<string | null>(null)
  let projectId: number | null = null

  async function load(): Promise<void> {
    const asked = projectId
    if (asked === null) return
    try {
      const next = await api.call('labels.progress', { projectId: asked })
      if (asked === projectId) progress.value = next
      error.value = null
    } catch (err) {
      error.value = errorMessage(err)
    }
  }
  let timer: ReturnType<typeof setTimeout> | null = null
  function refreshSoon(): void {
    timer ??= setTimeout(() => {
      timer = null
      void load()
    }, REFRESH_MS)
  }

  function open(id: number): void {
    if (projectId !== id) progress.value = null
    projectId = id
    void load()
  }

  /** Throws the back end's error, for the form to show beside the field. */
  async function setTarget(target: number | null): Promise<void> {
    if (projectId === null) return
    progress.value = await api.call('labels.setTarget', { projectId, target })
  }

  api.on('labels.changed', (event) => {
    if (event.projectId === projectId) refreshSoon()
  })

  return { progress, error, open, setTarget }
})
