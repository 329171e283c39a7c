// Every request of the contract, answered from the store and the services, one module per area.
// Both shells call these through `Backend.dispatch`; nothing here knows which shell asked.
import type { HandlerContext, HandlerMap } from './context'
import { featureHandlers } from './features'
import { importHandlers } from './imports'
import { labelHandlers } from './labels'
import { predictionHandlers } from './predictions'
import { projectHandlers } from './projects'
import { exportHandlers } from './exports'
import { reviewHandlers } from './review'
import { labelCheckHandlers } from './label-check'
import { runHandlers } from './runs'
import { systemHandlers } from './system'

export type { HandlerContext } from './context'
/** `dispose` cancels every area's work at once and settles once their threads have ended. */
export type Handlers = HandlerMap & { dispose(): Promise<void> }

export function createHandlers(ctx: HandlerContext): Handlers {
  const groups = [projectHandlers(ctx), importHandlers(ctx), systemHandlers(ctx), labelHandlers(ctx), featureHandlers(ctx), reviewHandlers(ctx), exportHandlers(ctx), runHandlers(ctx), predictionHandlers(ctx), labelCheckHandlers(ctx)] as const
  const [projects, imports, system, labels, features, review, exports, runs, predictions, labelChecks] = groups
  // `satisfies` makes a contract method without a handler a compile error.
  const handlers = {
    ...projects.handlers,
    ...imports.handlers,
    ...system.handlers,
    ...labels.handlers,
    ...features.handlers,
    ...review.handlers,
    ...exports.handlers,
    ...runs.handlers,
    ...predictions.handlers,
    ...labelChecks.handlers,
  } satisfies HandlerMap
  return {
    ...handlers,
    dispose: async () => {
      await Promise.all(groups.map((group) => group.dispose?.()))
    },
  }
}
