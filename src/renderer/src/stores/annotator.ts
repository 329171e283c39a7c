// Who is labeling: a name per person, kept in this browser (or desktop profile) and sent with
// every label, so the history and the agreement figures know who said what.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ANNOTATOR_NAME_MAX } from '#shared/labeling'

const KEY = 'common-ground.annotator'

/** Why a name cannot be used, or null when it can (the back end checks the same rules). */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'Enter a name'
  if (trimmed.length > ANNOTATOR_NAME_MAX) return `At most ${ANNOTATOR_NAME_MAX} characters`
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'No control characters'
  return null
}

export const useAnnotatorStore = defineStore('annotator', () => {
  const name = ref<string | null>(localStorage.getItem(KEY))

  function set(next: string): void {
    const trimmed = next.trim()
    localStorage.setItem(KEY, trimmed)
    name.value = trimmed
  }

  return { name, set }
})
