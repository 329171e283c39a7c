// What the back end says about itself, and the app-wide error banner.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AppInfo } from '#shared/system'
import { api, errorMessage } from '../api/client'

export const useAppStore = defineStore('app', () => {
  const info = shallowRef<AppInfo | null>(null)
  const banner = ref<string | null>(null)

  async function load(): Promise<void> {
    try {
      info.value = await api.call('app.info', undefined)
    } catch (err) {
      showError(err)
    }
  }

  /** Shows a failed call's message (the back end's own words) until dismissed or replaced. */
  function showError(err: unknown): void {
    banner.value = errorMessage(err)
  }

  function dismissError(): void {
    banner.value = null
  }

  return { info, banner, load, showError, dismissError }
})
