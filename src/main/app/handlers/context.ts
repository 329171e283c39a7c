import type { Api, Method } from '#shared/contract'
import type { Store } from '#main/db/store'
import type { FeatureTasks } from '#main/features/feature-tasks'
import type { TrainingJobs } from '../training-jobs'
import type { ShellServices } from '../shell-services'
import { notFound } from '#main/core/errors'
import type { EventBus } from '../event-bus'
import * as v from '../validate'

export type Handler<M extends Method> = (payload: Api[M]['req']) => Promise<Api[M]['res']> | Api[M]['res']
export type HandlerMap = { [M in Method]: Handler<M> }

/** What one area's handlers (projects, imports, system, …) answer, and what they release on close. */
export interface HandlerGroup<M extends Method> {
  handlers: { [K in M]: Handler<K> }
  dispose?: () => void
}

export interface HandlerContext {
  store: Store
  events: EventBus
  shell: ShellServices
  /** Worker-process work on features: describing encoder pairs, extraction, the probe. */
  features: FeatureTasks
  /** Training runs in trainer processes, one at a time per project. */
  runs: TrainingJobs
}

/** The payload's `projectId`, checked to name an existing project. */
export function requireProject(store: Store, payload: unknown, method: string): number {
  const id = v.id(v.object(payload, method), 'projectId')
  if (!store.projects.exists(id)) throw notFound(`No project with id ${id}`)
  return id
}
