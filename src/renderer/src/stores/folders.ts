// Where the path pickers start: the last folder used for the open project (remembered in this
// browser), else the folder the project imported from, else the last folder used anywhere, and
// only then the back end's own choice (its first granted root or home folder). And where an
// export writes unless told otherwise: the folder the last export wrote into.
import { defineStore } from 'pinia'
import { api } from '../api/client'
import { route } from '../router'

const LAST_KEY = (projectId: number | null): string => (projectId === null ? 'common-ground.last-folder' : `common-ground.last-folder.${projectId}`)
const WRITTEN_KEY = (projectId: number | null): string => (projectId === null ? 'common-ground.export-folder' : `common-ground.export-folder.${projectId}`)

export const useFoldersStore = defineStore('folders', () => {
  const importFolders = new Map<number, string | null>()

  const openProject = (): number | null => ('projectId' in route.value ? route.value.projectId : null)

  async function importFolder(projectId: number): Promise<string | null> {
    if (!importFolders.has(projectId)) {
      try {
        importFolders.set(projectId, (await api.call('projects.folders', { projectId })).importFolder)
      } catch {
        return null // a start folder is a convenience: the picker opens at the back end's choice
      }
    }
    return importFolders.get(projectId) ?? null
  }

  /** Where a picker opens on the open project's page ('' leaves it to the back end). */
  async function start(): Promise<string> {
    const projectId = openProject()
    const last = localStorage.getItem(LAST_KEY(projectId))
    if (last) return last
    const imported = projectId === null ? null : await importFolder(projectId)
    return imported ?? localStorage.getItem(LAST_KEY(null)) ?? ''
  }

  /**
   * The folder an export last wrote into from the open project, else from any; '' when none yet.
   * Only exports set it: a folder picked to import from or to load a model from is no place to write.
   */
  function lastWritten(): string {
    return localStorage.getItem(WRITTEN_KEY(openProject())) ?? localStorage.getItem(WRITTEN_KEY(null)) ?? ''
  }

  /** An export wrote into `folder`: the next one starts there, and so do the pickers. */
  function rememberWritten(folder: string): void {
    const trimmed = folder.trim()
    if (trimmed === '') return
    localStorage.setItem(WRITTEN_KEY(openProject()), trimmed)
    localStorage.setItem(WRITTEN_KEY(null), trimmed)
    remember(trimmed)
  }

  /** A folder the user picked or wrote into: the next picker of this project (and of a new one) opens there. */
  function remember(folder: string): void {
    const trimmed = folder.trim()
    if (trimmed === '') return
    localStorage.setItem(LAST_KEY(openProject()), trimmed)
    localStorage.setItem(LAST_KEY(null), trimmed)
  }

  /** A finished import changes where the project's data is. */
  function forgetImportFolder(projectId: number): void {
    importFolders.delete(projectId)
  }

  return { start, remember, lastWritten, rememberWritten, forgetImportFolder }
})
