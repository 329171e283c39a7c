// Hash routing for two places (`#/` and `#/projects/<id>`), so a reload keeps the place.
import { readonly, shallowRef } from 'vue'

export type Route = { name: 'projects' } | { name: 'project'; projectId: number }

function parseHash(hash: string): Route {
  const project = /^#\/projects\/(\d+)\/?$/.exec(hash)
  return project ? { name: 'project', projectId: Number(project[1]) } : { name: 'projects' }
}

export const projectsHref = '#/'
export const projectHref = (projectId: number): string => `#/projects/${projectId}`

const current = shallowRef<Route>(parseHash(window.location.hash))
window.addEventListener('hashchange', () => {
  current.value = parseHash(window.location.hash)
})

export const route = readonly(current)

export function navigate(href: string): void {
  window.location.hash = href
}
