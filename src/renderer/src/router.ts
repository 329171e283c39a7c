// Hash routing, so a reload keeps the place: `#/`, `#/projects/<id>`, its labeling view
// `#/projects/<id>/label[?post=<id>]`, its agreement view `#/projects/<id>/agreement`, and the
// training views `#/projects/<id>/train[?run=<id>]`, `…/runs` and `…/review[?run=<id>]`, and a label
// check's queue in the Review view `…/review?check=<id>` (`check=0`: the latest check).
import { readonly, shallowRef } from 'vue'

export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectId: number }
  | { name: 'label'; projectId: number; postId: number | null }
  | { name: 'agreement'; projectId: number }
  | { name: 'train'; projectId: number; runId: number | null }
  | { name: 'runs'; projectId: number }
  | { name: 'review'; projectId: number; runId: number | null }
  | { name: 'labelCheck'; projectId: number; checkId: number | null }

function parseHash(hash: string): Route {
  const match = /^#\/projects\/(\d+)(?:\/(label|agreement|train|runs|review))?\/?(?:\?(post|run|check)=(\d+))?$/.exec(hash)
  if (!match) return { name: 'projects' }
  const projectId = Number(match[1])
  const param = (name: string): number | null => (match[3] === name && match[4] ? Number(match[4]) : null)
  if (match[2] === 'label') return { name: 'label', projectId, postId: param('post') }
  if (match[2] === 'agreement') return { name: 'agreement', projectId }
  if (match[2] === 'train') return { name: 'train', projectId, runId: param('run') }
  if (match[2] === 'runs') return { name: 'runs', projectId }
  if (match[2] === 'review' && match[3] === 'check') return { name: 'labelCheck', projectId, checkId: param('check') || null }
  if (match[2] === 'review') return { name: 'review', projectId, runId: param('run') }
  return { name: 'project', projectId }
}

export const projectsHref = '#/'
export const projectHref = (projectId: number): string => `#/projects/${projectId}`
export const labelHref = (projectId: number, postId?: number): string =>
  `#/projects/${projectId}/label${postId === undefined ? '' : `?post=${postId}`}`
export const agreementHref = (projectId: number): string => `#/projects/${projectId}/agreement`
const withRun = (runId?: number | null): string => (runId == null ? '' : `?run=${runId}`)
export const trainHref = (projectId: number, runId?: number | null): string => `#/projects/${projectId}/train${withRun(runId)}`
export const runsHref = (projectId: number): string => `#/projects/${projectId}/runs`
export const reviewHref = (projectId: number, runId?: number | null): string => `#/projects/${projectId}/review${withRun(runId)}`
export const labelCheckHref = (projectId: number, checkId?: number | null): string => `#/projects/${projectId}/review?check=${checkId ?? 0}`

const current = shallowRef<Route>(parseHash(window.location.hash))
window.addEventListener('hashchange', () => {
  current.value = parseHash(window.location.hash)
})

export const route = readonly(current)

export function navigate(href: string): void {
  window.location.hash = href
}
