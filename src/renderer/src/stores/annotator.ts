// Who is labeling: a person of the project, chosen per project in this browser (or desktop
// profile) and sent with every label, so the history and the agreement figures know who said
// what. Never guessed: until someone picks or types a name, there is none.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ANNOTATOR_NAME_MAX } from '#shared/labeling'

const NAME_KEY = (projectId: number): string => `common-ground.annotator.${projectId}`
const ADDED_KEY = (projectId: number): string => `common-ground.annotators-added.${projectId}`

/** Why a name cannot be used, or null when it can (the back end checks the same rules). */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'Enter a name'
  if (trimmed.length > ANNOTATOR_NAME_MAX) return `At most ${ANNOTATOR_NAME_MAX} characters`
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'No control characters'
  return null
}

function readList(key: string): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(key) ?? '[]')
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : []
  } catch {
    return []
  }
}

export const useAnnotatorStore = defineStore('annotator', () => {
  const projectId = ref<number | null>(null)
  const name = ref<string | null>(null)

  /** The project whose views are on screen: its own name in this browser, if one was chosen. */
  function open(id: number): void {
    if (projectId.value === id) return
    projectId.value = id
    name.value = localStorage.getItem(NAME_KEY(id))
  }

  /** Names typed in this browser for the open project (the people list adds those who labeled). */
  function added(): string[] {
    return projectId.value === null ? [] : readList(ADDED_KEY(projectId.value))
  }

  function set(next: string): void {
    const id = projectId.value
    if (id === null) return
    const trimmed = next.trim()
    localStorage.setItem(NAME_KEY(id), trimmed)
    const names = readList(ADDED_KEY(id))
    if (!names.includes(trimmed)) localStorage.setItem(ADDED_KEY(id), JSON.stringify([...names, trimmed]))
    name.value = trimmed
  }

  return { projectId, name, open, added, set }
})
