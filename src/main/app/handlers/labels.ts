// Labeling: one post at a time, its queue, labels with undo/redo, progress, agreement, suggestions.
import type { AgreementReport, LabelProgress, PostLabels } from '#shared/labeling'
import type { PostRow } from '#shared/projects'
import type { Modality, Sentiment } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import { agreement } from '#main/labeling/agreement'
import { LabelWriter } from '#main/labeling/label-writer'
import { strategyStatuses, suggest } from '#main/labeling/suggest'
import { notFound } from '#main/core/errors'
import { requireProject, type HandlerContext, type HandlerGroup } from './context'

type LabelMethods =
  | 'labels.post'
  | 'labels.queue'
  | 'labels.set'
  | 'labels.undo'
  | 'labels.redo'
  | 'labels.undoState'
  | 'labels.progress'
  | 'labels.setTarget'
  | 'labels.agreement'
  | 'labels.strategies'
  | 'labels.suggest'

/** The agreement view lists this many disagreements at most (and says how many there are). */
const DISAGREEMENTS_LISTED = 500

export function labelHandlers({ store, events }: HandlerContext): HandlerGroup<LabelMethods> {
  const writer = new LabelWriter(store)
  const suggestDeps = { inputs: store.suggestionInputs, pseudoLabels: store.pseudoLabels, suggestions: store.suggestions, posts: store.posts }

  function requirePost(projectId: number, postId: number): PostRow {
    const post = store.posts.get(requireProject(store, projectId), postId)
    if (!post) throw notFound(`No post with id ${postId} in project ${projectId}`)
    return post
  }

  function announce(projectId: number, labels: PostLabels | null, annotator: string): void {
    if (labels) events.emit('labels.changed', { projectId, postId: labels.postId, labels: labels.labels, annotator })
  }

  const progress = (projectId: number): LabelProgress => ({
    projectId,
    total: store.stats.postCount(projectId),
    coverage: store.stats.coverage(projectId),
    target: store.projects.labelTarget(projectId),
    labels: store.stats.labelCounts(projectId),
    annotators: store.stats.annotatorLabels(projectId, 'labelers'),
  })

  return {
    handlers: {
      'labels.post': ({ projectId, postId }) => {
        const post = requirePost(projectId, postId)
        return { post, labels: store.annotations.postLabels(post.id), pseudo: store.pseudoLabels.latestFor(projectId, post.id) }
      },

      'labels.queue': (request) => store.queue.page({ ...request, projectId: requireProject(store, request.projectId) }),

      'labels.set': (request) => {
        requirePost(request.projectId, request.postId)
        const ack = writer.set(request)
        announce(request.projectId, ack.labels, request.annotator)
        return ack
      },

      'labels.undo': ({ projectId, annotator }) => {
        const ack = writer.undo(requireProject(store, projectId), annotator)
        announce(projectId, ack.labels, annotator)
        return ack
      },

      'labels.redo': ({ projectId, annotator }) => {
        const ack = writer.redo(requireProject(store, projectId), annotator)
        announce(projectId, ack.labels, annotator)
        return ack
      },

      'labels.undoState': ({ projectId, annotator }) => writer.undoState(requireProject(store, projectId), annotator),

      'labels.progress': ({ projectId }) => progress(requireProject(store, projectId)),

      'labels.setTarget': ({ projectId, target }) => {
        store.projects.setLabelTarget(requireProject(store, projectId), target)
        return progress(projectId)
      },

      'labels.agreement': ({ projectId, modality }) => agreementReport(store, requireProject(store, projectId), modality),

      'labels.strategies': ({ projectId, conflicts }) => strategyStatuses(suggestDeps, requireProject(store, projectId), conflicts ?? false),

      'labels.suggest': async (request) =>
        suggest(suggestDeps, { ...request, projectId: requireProject(store, request.projectId), annotator: request.annotator ?? null }),
    },
  }
}

/** Agreement among people (rows with source `human`): corrections settle disagreements and are left out. */
function agreementReport(store: Store, projectId: number, modality: Modality): AgreementReport {
  const result = agreement(store.annotations.latestBySource(projectId, 'human', modality))
  return {
    projectId,
    modality,
    annotators: result.annotators,
    pairs: result.pairs.map(({ a, b, posts, agreed, kappa }) => ({ a, b, posts, agreed, kappa: kappa.value, ...(kappa.reason ? { reason: kappa.reason } : {}) })),
    alpha: result.alpha.value,
    ...(result.alpha.reason ? { alphaReason: result.alpha.reason } : {}),
    units: result.alpha.units,
    disagreementCount: result.disagreements.length,
    disagreements: result.disagreements.slice(0, DISAGREEMENTS_LISTED).map(({ postId, labels }) => {
      const post = store.posts.get(projectId, postId)!
      const latest = store.annotations.latest(postId, modality)
      const resolved: Sentiment | null = latest?.source === 'correction' ? latest.label : null
      return { postId, externalId: post.externalId, text: post.text, labels, resolved }
    }),
  }
}
