// "What to label next": picks N unlabeled posts with a strategy and records which one picked each.
// Stratified random needs nothing; diverse (k-center) needs features; uncertain needs a finished
// run's pseudo-labels. A strategy that runs short is topped up by stratified random.
import type { StrategyStatus, SuggestRequest, SuggestResult, SuggestStrategy } from '#shared/labeling'
import type { SuggestionInputsRepo } from '#main/db/suggestion-inputs-repo'
import type { SuggestionPick, SuggestionsRepo } from '#main/db/suggestions-repo'
import type { PostsRepo } from '#main/db/posts-repo'
import type { PseudoLabelsRepo } from '#main/db/pseudo-labels-repo'
import { badRequest } from '#main/core/errors'
import { kCenterGreedy } from './k-center'
import { sample, seededRandom, type Random } from '#main/core/random'
import { stratifiedSample } from '#main/core/stratified'

/** Bounds on k-center's work (candidates × centers × dimensions), sampled when there are more. */
const POOL_LIMIT = 3000
const CENTER_LIMIT = 1000
/** `auto` takes the first available of these. */
const AUTO_ORDER: readonly SuggestStrategy[] = ['uncertain', 'diverse', 'stratified']

export interface SuggestDeps {
  inputs: SuggestionInputsRepo
  pseudoLabels: PseudoLabelsRepo
  suggestions: SuggestionsRepo
  posts: PostsRepo
}

/** Encoders most posts have (at least half the best coverage), so the posts compared share them. */
function usableEncoders(inputs: SuggestionInputsRepo, projectId: number): string[] {
  const coverage = inputs.encoderCoverage(projectId)
  const best = coverage[0]?.posts ?? 0
  return coverage.filter((c) => c.posts * 2 >= best).map((c) => c.encoder)
}

/** Why nothing is left to suggest: every post has a label, or only conflict posts (left out unless asked) lack one. */
function nothingLeft(inputs: SuggestionInputsRepo, projectId: number, conflicts: boolean): string | null {
  if (inputs.unlabeledCount(projectId, conflicts) > 0) return null
  const skipped = conflicts ? 0 : inputs.unlabeledCount(projectId, true)
  return skipped === 0
    ? 'Every post has an overall label'
    : `Every post training can use has an overall label; the ${skipped.toLocaleString('en-US')} unlabeled posts left are conflict posts, which training leaves out (ask for conflict posts to label them anyway)`
}

export function strategyStatuses({ inputs, pseudoLabels }: Pick<SuggestDeps, 'inputs' | 'pseudoLabels'>, projectId: number, conflicts = false): StrategyStatus[] {
  const unlabeled = inputs.unlabeledCount(projectId, conflicts)
  const none = nothingLeft(inputs, projectId, conflicts)
  const encoders = usableEncoders(inputs, projectId)
  const run = pseudoLabels.latestDoneRun(projectId)
  return [
    {
      strategy: 'stratified',
      available: !none,
      reason: none ?? `Random within each split, in proportion to its unlabeled posts (${unlabeled.toLocaleString('en-US')} unlabeled)`,
    },
    {
      strategy: 'diverse',
      available: !none && encoders.length > 0,
      reason:
        none ??
        (encoders.length === 0
          ? 'No features yet: extract features for this project first'
          : `k-center on features (${encoders.join(' + ')}): each pick is the post farthest from everything labeled or picked`),
    },
    {
      strategy: 'uncertain',
      available: !none && (run?.pseudo ?? 0) > 0,
      reason:
        none ??
        (!run
          ? 'No finished training run yet: train a model first'
          : run.pseudo === 0
            ? `Run #${run.id} wrote no pseudo-labels`
            : `Lowest confidence of run #${run.id}. Runs store no per-class probabilities, so the margin cannot be computed: the top confidence stands in for it`),
    },
  ]
}

/** A suggestion request with its project checked. */
export type SuggestionRequest = Required<Omit<SuggestRequest, 'annotator' | 'conflicts'>> & { annotator: string | null; conflicts?: boolean }

/** What a suggestion picked, before it is recorded: the posts, each with why, and how many it chose from. */
export interface SuggestionPicks {
  picks: SuggestionPick[]
  candidates: number
}

/**
 * The posts a suggestion picks: reads only, so the app runs it on its read thread (the k-center
 * over features, and at 100,000 posts ~0.15 s even for random picks, on the shell's loop before).
 */
export async function pickSuggestions(deps: Omit<SuggestDeps, 'suggestions'>, req: SuggestionRequest): Promise<SuggestionPicks> {
  const conflicts = req.conflicts ?? false
  const statuses = strategyStatuses(deps, req.projectId, conflicts)
  const status =
    req.strategy === 'auto'
      ? AUTO_ORDER.map((s) => statuses.find((x) => x.strategy === s)!).find((s) => s.available)
      : statuses.find((s) => s.strategy === req.strategy)
  if (!status?.available) throw badRequest(`strategy: ${status?.reason ?? 'Every post has an overall label'}`)
  const random = seededRandom(req.seed)
  const strata = deps.inputs.unlabeledBySplit(req.projectId, conflicts)
  const candidates = [...strata.values()].reduce((n, ids) => n + ids.length, 0)

  const picks =
    status.strategy === 'uncertain'
      ? uncertainPicks(deps.pseudoLabels, req.projectId, req.count)
      : status.strategy === 'diverse'
        ? await diversePicks(deps.inputs, req.projectId, req.count, random, conflicts)
        : []
  const taken = new Set(picks.map((p) => p.postId))
  const remaining = new Map([...strata].map(([split, ids]) => [split, ids.filter((id) => !taken.has(id))]))
  for (const p of stratifiedSample(remaining, req.count - picks.length, random)) {
    picks.push({ postId: p.id, strategy: 'stratified', reason: `Random in split “${p.stratum}”: ${p.picked} of its ${p.size.toLocaleString('en-US')} unlabeled posts` })
  }
  return { picks, candidates }
}

/** Records the picks as a batch (which strategy picked each post) and answers with their ids. */
export function recordSuggestions(deps: Pick<SuggestDeps, 'suggestions' | 'posts'>, req: SuggestionRequest, { picks, candidates }: SuggestionPicks): SuggestResult {
  const batchId = deps.suggestions.record({ projectId: req.projectId, strategy: req.strategy, requested: req.count, annotator: req.annotator }, picks)
  return {
    batchId,
    candidates,
    picked: picks.map((p) => ({ ...p, externalId: deps.posts.get(req.projectId, p.postId)!.externalId })),
  }
}

function uncertainPicks(pseudoLabels: PseudoLabelsRepo, projectId: number, count: number): SuggestionPick[] {
  const run = pseudoLabels.latestDoneRun(projectId)!
  return pseudoLabels.leastConfident(run.id, projectId, count).map((p) => ({
    postId: p.postId,
    strategy: 'uncertain',
    reason: `Run #${run.id} said ${p.label} with confidence ${p.confidence.toFixed(2)}, among its least sure`,
  }))
}

async function diversePicks(inputs: SuggestionInputsRepo, projectId: number, count: number, random: Random, conflicts: boolean): Promise<SuggestionPick[]> {
  const encoders = usableEncoders(inputs, projectId)
  const vectors = (labeled: boolean, limit: number): Array<{ id: number; vector: Float32Array }> =>
    sample(inputs.postsWithFeatures(projectId, encoders[0]!, labeled, conflicts), limit, random).flatMap((id) => {
      const vector = inputs.joinedVector(id, encoders)
      return vector ? [{ id, vector }] : []
    })
  const pool = vectors(false, POOL_LIMIT)
  const centers = vectors(true, CENTER_LIMIT)
  const picked = await kCenterGreedy(
    pool.map((p) => p.vector),
    centers.map((c) => c.vector),
    count,
  )
  return picked.map(({ index, distance }) => ({
    postId: pool[index]!.id,
    strategy: 'diverse',
    reason:
      distance === null
        ? 'The most typical post (nearest the mean of the features): nothing is labeled to measure from yet'
        : `Farthest from every labeled or earlier-picked post (distance ${distance.toFixed(3)})`,
  }))
}
