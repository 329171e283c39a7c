// Projects, their posts (the grid) and their statistics. Pure types and constants: no Node, no DOM.
import type { AnnotationSource, CountBySentiment, LabelSet, Modality, Sentiment, Split } from './vocabulary'

export interface ProjectSummary {
  id: number
  name: string
  description: string
  createdAt: string
  postCount: number
}

export interface PostRow {
  id: number
  externalId: string
  text: string
  split: Split
  /** Text and image labels disagree in polarity (positive vs negative). */
  conflict: boolean
  labels: LabelSet
  /** Media paths, turned into URLs by the renderer's API client (see `mediaPath` in contract.ts). */
  thumb: string
  image: string
  width: number
  height: number
}

export interface PostQuery {
  projectId: number
  offset: number
  limit: number
  split?: Split
  /** Only posts whose current overall label is this; `'unlabeled'` for posts without one. */
  overall?: Sentiment | 'unlabeled'
}

export interface PostPage {
  total: number
  offset: number
  rows: PostRow[]
}

export interface ProjectStats {
  projectId: number
  total: number
  splits: Record<Split, number>
  /** Current labels per modality and class, over all posts. */
  labels: Record<Modality, CountBySentiment>
  /** Current overall labels per split and class. */
  overallBySplit: Record<Split, CountBySentiment & { unlabeled: number }>
  conflicts: number
  /** Annotation counts per annotator and source (whole history). */
  annotators: Array<{ annotator: string; source: AnnotationSource; count: number }>
}
