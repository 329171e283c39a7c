// What every handler needs and nothing of the shell: a handler's type, and the checks that an id
// names a project or a run. Apart from context.ts, so the read handlers (reads.ts, which the read
// thread loads) depend on no shell service.
import type { Checked, Method, Res } from '#shared/contract'
import type { Store } from '#main/db/store'
import type { ReviewRun } from '#main/db/review-repo'
import { notFound } from '#main/core/errors'

/** A method's handler: its payload has already passed the method's schema (see `Backend.call`). */
export type Handler<M extends Method> = (payload: Checked<M>) => Promise<Res<M>> | Res<M>

/** A project id, checked to name an existing project. */
export function requireProject(store: Store, projectId: number): number {
  if (!store.projects.exists(projectId)) throw notFound(`No project with id ${projectId}`)
  return projectId
}

/** A run id, checked to name an existing run. */
export function requireRun(store: Store, runId: number): ReviewRun {
  const run = store.review.run(runId)
  if (!run) throw notFound(`No run with id ${runId}`)
  return run
}
