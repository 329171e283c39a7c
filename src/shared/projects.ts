// Projects, their posts (the grid) and their statistics. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import type { PredictionSummary } from './predictions'
import { fields, filledText, id, int, oneOf, opt, searchText, text } from './fields'
import { SENTIMENTS, SPLITS, type AnnotationSource, type CountBySentiment, type LabelSet, type Modality, type Split } from './vocabulary'

/** Longest project name and description. */
export const PROJECT_NAME_MAX = 100
export const PROJECT_DESCRIPTION_MAX = 2000
/** Most posts a grid page may ask for. */
export const POSTS_PAGE_MAX = 500
export const POSTS_SEARCH_MAX = 200
/** Characters of each post's text a grid page carries (a post's own view has all of it): bounds a page's size. */
export const POSTS_PAGE_TEXT_MAX = 2000

/** A request about one project (its existence is the handler's to check). */
export const ProjectRef = fields({ projectId: id() })

/**
 * What is wrong with a project name, or null. A name is shown everywhere and typed on command
 * lines: no control characters (NUL included), no path separators, not only dots.
 */
export function projectNameProblem(name: string): string | null {
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a project name cannot contain control characters'
  if (/[/\\]/.test(name)) return 'a project name cannot contain / or \\'
  if (/^\.+$/.test(name.trim())) return 'a project name cannot be only dots'
  return null
}

const projectName = v.pipe(
  filledText(PROJECT_NAME_MAX, 'a project needs a name'),
  v.check((name) => projectNameProblem(name) === null, (issue) => projectNameProblem(String(issue.input)) ?? 'not a valid project name'),
)
const projectDescription = v.nullish(text(PROJECT_DESCRIPTION_MAX), '')

export const ProjectCreateRequest = fields({ name: projectName, description: projectDescription })

/** A project's name and description, changed (the same rules as at its creation). */
export const ProjectUpdateRequest = fields({ projectId: id(), name: projectName, description: projectDescription })

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
  /** The grid's pages: the post's prediction in the project's latest prediction set (`predict`). */
  prediction?: PredictionSummary | null
}

export const PostQuery = fields({
  projectId: id(),
  offset: v.nullish(int(0, Number.MAX_SAFE_INTEGER), 0),
  limit: v.nullish(int(1, POSTS_PAGE_MAX), 100),
  split: opt(oneOf(SPLITS)),
  /** Only posts whose current overall label is this; `'unlabeled'` for posts without one. */
  overall: opt(oneOf(SENTIMENTS, ['unlabeled'])),
  /**
   * Only posts the project's latest prediction set (`predict`) gives this label; `'disagrees'`: labeled
   * posts whose prediction is another label. No post matches while the project has no set.
   */
  predicted: opt(oneOf(SENTIMENTS, ['disagrees'])),
  /**
   * Only posts whose text holds these characters (case ignored for ASCII letters, as SQLite's LIKE
   * does), or whose id in its source is exactly this. Spaces around it are dropped; empty: no filter.
   */
  search: searchText(POSTS_SEARCH_MAX),
})
export type PostQuery = v.InferOutput<typeof PostQuery>

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
