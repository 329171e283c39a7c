// Hash routing, so a reload keeps the place: `#/`, `#/projects/<id>`, its labeling view
// `#/projects/<id>/label[?post=<id>]` and its agreement view `#/projects/<id>/agreement`.
import { readonly, shallowRef } from 'vue'

export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectId: number }
  | { name: 'label'; projectId: number; postId: number | null }
  | { name: 'agreement'; projectId: number }

function parseHash(hash: string): Route {
  const match = /^#\/projects\/(\d+)(?:\/(label|agreement))?\/?(?:\?post=(\d+))?$/.exec(hash)
  if (!match) return { name: 'projects' }
  const projectId = Number(match[1])
  if (match[2] === 'label') return { name: 'label', projectId, postId: match[3] ? Number(match[3]) : null }
  if (match[2] === 'agreement') return { name: 'agreement', projectId }
  return { name: 'project', projectId }
}

export const projectsHref = '#/'
export const projectHref = (projectId: number): string => `#/projects/${projectId}`
export const labelHref = (projectId: number, postId?: number): string =>
  `#/projects/${projectId}/label${postId === undefined ? '' : `?post=${postId}`}`
export const agreementHref = (projectId: number): string => `#/projects/${projectId}/agreement`

const current = shallowRef<Route>(parseHash(window.location.hash))
window.addEventListener('hashchange', () => {
  current.value = parseHash(window.location.hash)
})

export const route = readonly(current)

export function navigate(href: string): void {
  window.location.hash = href
}
