// Labeling: one post at a time, its queue, labels with undo/redo, progress, agreement, suggestions.
import type { LabelProgress, PostLabels } from '#shared/labeling'
import type { PostRow } from '#shared/projects'
import { LabelWriter } from '#main/labeling/label-writer'
import { recordSuggestions } from '#main/labeling/suggest'
import { notFound } from '#main/core/errors'
import { readPart } from '../read-thread/read-client'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type LabelMethods =
  | 'labels.post'
  | 'labels.set'
  | 'labels.undo'
  | 'labels.redo'
  | 'labels.undoState'
  | 'labels.setTarget'
  | 'labels.suggest'

export function labelHandlers(ctx: HandlerContext): HandlerGroup<LabelMethods> {
  const { store, events } = ctx
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

  return {
    handlers: {
      'labels.post': ({ projectId, postId }) => {
        const post = requirePost(projectId, postId)
        return { post, labels: store.annotations.postLabels(post.id), pseudo: store.pseudoLabels.latestFor(projectId, post.id) }
      },


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

      'labels.setTarget': async ({ projectId, target }) => {
        store.projects.setLabelTarget(requireProject(store, projectId), target)
        // The counts come from the read thread, as labels.progress's do: on this connection, inside
        // the write, they held the loop ~30 ms at 100,000 posts. Asked after the first await, so
        // after the lock-first write has committed (runAndCommit commits when this part returns).
        await null
        return (await ctx.reads.call('labels.progress', { projectId })) as LabelProgress
      },

      // The picks (k-center over features, ~0.15 s at 100,000 posts even for random ones) on the read
      // thread; their batch is written here.
      'labels.suggest': async (request) => {
        const req = { ...request, projectId: requireProject(store, request.projectId), annotator: request.annotator ?? null }
        return recordSuggestions(suggestDeps, req, await readPart(ctx.reads, 'labels.picks', req))
      },
    },
  }
}
