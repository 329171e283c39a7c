// The project list, and the counts of the project on screen.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ProjectStats, ProjectSummary } from '#shared/projects'
import { api } from '../api/client'
import { useAppStore } from './app'

export const useProjectsStore = defineStore('projects', () => {
  const app = useAppStore()
  const list = shallowRef<ProjectSummary[]>([])
  const loaded = ref(false)
  const stats = shallowRef<ProjectStats | null>(null)
  /** Projects being deleted: seconds at 100,000 posts, shown as such meanwhile. */
  const removing = ref(new Set<number>())

  async function load(): Promise<void> {
    try {
      list.value = await api.call('projects.list', undefined)
      loaded.value = true
    } catch (err) {
      app.showError(err)
    }
  }

  /** Throws the back end's ApiError so the form can show its message beside the field. */
  async function create(name: string, description: string): Promise<ProjectSummary> {
    const created = await api.call('projects.create', { name, description })
    await load()
    return created
  }

  /** Throws the back end's ApiError, as create does. */
  async function update(projectId: number, name: string, description: string): Promise<ProjectSummary> {
    const updated = await api.call('projects.update', { projectId, name, description })
    await load()
    return updated
  }

  async function remove(projectId: number): Promise<void> {
    removing.value.add(projectId)
    try {
      await api.call('projects.delete', { projectId })
      await load()
    } catch (err) {
      app.showError(err)
    } finally {
      removing.value.delete(projectId)
    }
  }

  let statsWanted: number | null = null

  async function loadStats(projectId: number): Promise<void> {
    if (stats.value?.projectId !== projectId) stats.value = null
    statsWanted = projectId
    try {
      const next = await api.call('projects.stats', { projectId })
      // A late answer for a project the user already left must not replace the current one.
      if (statsWanted === projectId) stats.value = next
    } catch (err) {
      app.showError(err)
    }
  }

  const byId = (projectId: number): ProjectSummary | undefined => list.value.find((p) => p.id === projectId)

  // Other windows (or the importer) change projects too; keep the list true.
  api.on('projects.changed', () => {
    if (loaded.value) void load()
  })

  return { list, loaded, stats, removing, load, create, update, remove, loadStats, byId }
})
