// What an extraction run has to compute: per post, the views each encoder has no vector for.
// Asking the cache every time is what makes a re-run after a crash or a cancel a resume.
import type { FeaturesRepo, PostToEncode } from '#main/db/features-repo'
import { storedViews, viewName, type Modality, type View } from '../views'

export interface PlanItem {
  post: PostToEncode
  image: View[]
  text: View[]
}

export interface ExtractionPlan {
  /** Posts in the project. */
  posts: number
  /** Posts with at least one view missing, in id order. */
  items: PlanItem[]
}

export interface PlanEncoders {
  image: string
  text: string
}

export function planExtraction(repo: FeaturesRepo, projectId: number, encoders: PlanEncoders, k: number): ExtractionPlan {
  const needs = new Map<number, { image: View[]; text: View[] }>()
  for (const modality of ['image', 'text'] as const satisfies readonly Modality[]) {
    for (const view of storedViews(modality, k)) {
      for (const postId of repo.missing(projectId, encoders[modality], viewName(view))) {
        let need = needs.get(postId)
        if (!need) needs.set(postId, (need = { image: [], text: [] }))
        need[modality].push(view)
      }
    }
  }
  const all = repo.posts(projectId)
  const items = all.flatMap((post) => {
    const need = needs.get(post.id)
    return need ? [{ post, ...need }] : []
  })
  return { posts: all.length, items }
}

/** Every (encoder, view) cache row a project with K views should hold, by modality. */
export function expectedRows(encoders: PlanEncoders, k: number): Array<{ modality: Modality; encoder: string; view: string }> {
  return (['image', 'text'] as const).flatMap((modality) =>
    storedViews(modality, k).map((view) => ({ modality, encoder: encoders[modality], view: viewName(view) })),
  )
}
