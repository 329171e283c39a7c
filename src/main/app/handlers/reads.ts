// The heavy reads: answered from the store alone, so they can run on any connection to it — the
// shell's own, or the read thread's (read-thread/), which keeps them off the shell's event loop at
// 100,000 posts. The project, grid, labeling, review and predict handlers use these same functions.
// Besides whole methods of the contract, parts of answers: a request that also needs the shell (a
// worker's description of the encoders, a job's state, a write) asks for its heavy read by name.
import type { EncoderPairInfo, FeatureStatus } from '#shared/features'
import type { Store } from '#main/db/store'
import { featureStatus } from '#main/features/feature-status'
import { agreementReport, labelProgress } from '#main/labeling/label-reports'
import { pickSuggestions, strategyStatuses, type SuggestionPicks, type SuggestionRequest } from '#main/labeling/suggest'
import { bulkPreview, reviewQueue } from '#main/review/review-queue'
import type { LoadRequest } from '#main/training/load-data'
import { planRunData, type RunDataPlan } from '#main/training/plan-run-data'
import { requireProject, requireRun, type Handler } from './lookups'

export const READ_METHODS = [
  'projects.stats',
  'posts.page',
  'review.queue',
  'review.bulkPreview',
  'predict.list',
  'labels.progress',
  'labels.agreement',
  'labels.strategies',
  'labels.queue',
] as const
export type ReadMethod = (typeof READ_METHODS)[number]

const READS: ReadonlySet<string> = new Set(READ_METHODS)
export const isReadMethod = (method: string): method is ReadMethod => READS.has(method)

/** The heavy part of an answer whose rest the shell gives (see above). */
export interface PartReads {
  /** A project's feature counts for a pair (features.status; ~0.2 s at 100,000 posts). */
  'features.counts': (q: { projectId: number; pair: EncoderPairInfo; views: number }) => Omit<FeatureStatus, 'job'>
  /** The posts a suggestion picks (labels.suggest, which records them). */
  'labels.picks': (req: SuggestionRequest) => Promise<SuggestionPicks>
  /** What a run's plan reads (runs.plan, runs.start; ~1.4 s at 100,000 posts). */
  'runs.data': (q: { request: LoadRequest; grid: number }) => RunDataPlan
}
export type ReadName = ReadMethod | keyof PartReads

export type ReadHandlers = { [M in ReadMethod]: Handler<M> } & PartReads

export function readHandlers(store: Store): ReadHandlers {
  const suggestDeps = { inputs: store.suggestionInputs, pseudoLabels: store.pseudoLabels, posts: store.posts }
  return {
    'projects.stats': ({ projectId }) => store.stats.forProject(requireProject(store, projectId)),
    'posts.page': (query) => store.posts.page({ ...query, projectId: requireProject(store, query.projectId) }),
    'review.queue': ({ runId, ...page }) => reviewQueue(store, requireRun(store, runId), page),
    'review.bulkPreview': ({ runId, minConfidence }) => bulkPreview(store, requireRun(store, runId), minConfidence),
    // Each set's counts are an aggregate over its rows (~30 ms a set of 100,000 posts).
    'predict.list': ({ projectId }) => store.predictions.list(requireProject(store, projectId)),
    'labels.progress': ({ projectId }) => labelProgress(store, requireProject(store, projectId)),
    'labels.agreement': ({ projectId, modality, imported }) => agreementReport(store, requireProject(store, projectId), modality, imported),
    'labels.strategies': ({ projectId, conflicts }) => strategyStatuses(suggestDeps, requireProject(store, projectId), conflicts ?? false),
    // A text search that matches nothing reads every post's text: 46 ms of the shell's loop at 100,000 posts.
    'labels.queue': (request) => store.queue.page({ ...request, projectId: requireProject(store, request.projectId) }),
    'features.counts': ({ projectId, pair, views }) => featureStatus(store.features, projectId, store.stats.postCount(projectId), pair, views),
    'labels.picks': (req) => pickSuggestions(suggestDeps, req),
    'runs.data': ({ request, grid }) => planRunData(store.db, request, grid),
  }
}
