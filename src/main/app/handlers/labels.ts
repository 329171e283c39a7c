// Labeling: one post at a time, its queue, labels with undo/redo, progress, agreement, suggestions.
import { LABELING_SOURCES, QUEUE_ORDERS, SUGGEST_STRATEGIES, type AgreementReport, type LabelProgress, type PostLabels } from '#shared/labeling'
import type { PostRow } from '#shared/projects'
import { MODALITIES, SENTIMENTS, SPLITS, type Modality, type Sentiment } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import { agreement } from '#main/labeling/agreement'
import { LabelWriter } from '#main/labeling/label-writer'
import { strategyStatuses, suggest } from '#main/labeling/suggest'
import { badRequest, notFound } from '#main/core/errors'
import * as v from '../validate'
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

const QUEUE_PAGE_MAX = 50
const SEARCH_MAX = 200
const SUGGEST_MAX = 1000
const TARGET_MAX = 10_000_000
/** The agreement view lists this many disagreements at most (and says how many there are). */
const DISAGREEMENTS_LISTED = 500

export function labelHandlers({ store, events }: HandlerContext): HandlerGroup<LabelMethods> {
  const writer = new LabelWriter(store)
  const suggestDeps = { inputs: store.suggestionInputs, pseudoLabels: store.pseudoLabels, suggestions: store.suggestions, posts: store.posts }

  function requirePost(projectId: number, p: v.Payload): PostRow {
    const postId = v.id(p, 'postId')
    const post = store.posts.get(projectId, postId)
    if (!post) throw notFound(`No post with id ${postId} in project ${projectId}`)
    return post
  }

  /** The payload's project and annotator, for the requests that act on one annotator's stack. */
  function whoWhere(payload: unknown, method: string): { projectId: number; annotator: string } {
    const p = v.object(payload, method)
    return { projectId: requireProject(store, p, method), annotator: v.personName(p, 'annotator')! }
  }

  function announce(projectId: number, labels: PostLabels | null, annotator: string): void {
    if (labels) events.emit('labels.changed', { projectId, postId: labels.postId, labels: labels.labels, annotator })
  }

  const progress = (projectId: number): LabelProgress => ({
    projectId,
    total: store.stats.postCount(projectId),
    target: store.projects.labelTarget(projectId),
    labels: store.stats.labelCounts(projectId),
    annotators: store.stats.annotatorLabels(projectId, 'labelers'),
  })

  return {
    handlers: {
      'labels.post': (payload) => {
        const p = v.object(payload, 'labels.post')
        const projectId = requireProject(store, p, 'labels.post')
        const post = requirePost(projectId, p)
        return { post, labels: store.annotations.postLabels(post.id), pseudo: store.pseudoLabels.latestFor(projectId, post.id) }
      },

      'labels.queue': (payload) => {
        const p = v.object(payload, 'labels.queue')
        const search = v.text(p, 'search', { optional: true, max: SEARCH_MAX })?.trim()
        return store.queue.page({
          projectId: requireProject(store, p, 'labels.queue'),
          order: v.oneOf(p, 'order', QUEUE_ORDERS),
          split: v.oneOf(p, 'split', SPLITS),
          overall: v.oneOf(p, 'overall', [...SENTIMENTS, 'unlabeled' as const]),
          disagree: v.bool(p, 'disagree'),
          search: search || undefined,
          pseudo: v.bool(p, 'pseudo'),
          cursor: v.nested(p, 'cursor', (c) => ({ segment: v.int(c, 'segment', 0, 1), key: v.int(c, 'key', 0, Number.MAX_SAFE_INTEGER) })),
          at: p.at === undefined || p.at === null ? undefined : v.id(p, 'at'),
          direction: v.oneOf(p, 'direction', ['next', 'prev'] as const),
          limit: v.int(p, 'limit', 1, QUEUE_PAGE_MAX, 10),
          withTotal: v.bool(p, 'withTotal'),
        })
      },

      'labels.set': (payload) => {
        const p = v.object(payload, 'labels.set')
        const projectId = requireProject(store, p, 'labels.set')
        const post = requirePost(projectId, p)
        const annotator = v.personName(p, 'annotator')!
        const ack = writer.set({
          projectId,
          postId: post.id,
          modality: v.requiredOneOf(p, 'modality', MODALITIES),
          label: v.nullableOneOf(p, 'label', SENTIMENTS),
          annotator,
          source: v.oneOf(p, 'source', LABELING_SOURCES) ?? 'human',
        })
        announce(projectId, ack.labels, annotator)
        return ack
      },

      'labels.undo': (payload) => {
        const { projectId, annotator } = whoWhere(payload, 'labels.undo')
        const ack = writer.undo(projectId, annotator)
        announce(projectId, ack.labels, annotator)
        return ack
      },

      'labels.redo': (payload) => {
        const { projectId, annotator } = whoWhere(payload, 'labels.redo')
        const ack = writer.redo(projectId, annotator)
        announce(projectId, ack.labels, annotator)
        return ack
      },

      'labels.undoState': (payload) => {
        const { projectId, annotator } = whoWhere(payload, 'labels.undoState')
        return writer.undoState(projectId, annotator)
      },

      'labels.progress': (payload) => progress(requireProject(store, payload, 'labels.progress')),

      'labels.setTarget': (payload) => {
        const p = v.object(payload, 'labels.setTarget')
        const projectId = requireProject(store, p, 'labels.setTarget')
        if (!('target' in p)) throw badRequest(`target: required (a number of posts from 1 to ${TARGET_MAX}, or null)`)
        store.projects.setLabelTarget(projectId, p.target === null ? null : v.int(p, 'target', 1, TARGET_MAX))
        return progress(projectId)
      },

      'labels.agreement': (payload) => {
        const p = v.object(payload, 'labels.agreement')
        const projectId = requireProject(store, p, 'labels.agreement')
        return agreementReport(store, projectId, v.oneOf(p, 'modality', MODALITIES) ?? 'overall')
      },

      'labels.strategies': (payload) => strategyStatuses(suggestDeps, requireProject(store, payload, 'labels.strategies')),

      'labels.suggest': async (payload) => {
        const p = v.object(payload, 'labels.suggest')
        return suggest(suggestDeps, {
            projectId: requireProject(store, p, 'labels.suggest'),
            strategy: v.requiredOneOf(p, 'strategy', [...SUGGEST_STRATEGIES, 'auto' as const]),
            count: v.int(p, 'count', 1, SUGGEST_MAX),
            annotator: v.personName(p, 'annotator', { optional: true }) ?? null,
            seed: v.int(p, 'seed', 0, 0xffffffff, Math.floor(Math.random() * 0xffffffff)),
          })
      },
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
