import type { Sentiment } from '#shared/vocabulary'
import type { CandidateLabel } from '#main/db/import-writer'
import { mergeTextImage } from './label-rules'

export interface ModalityLabels {
  overall?: Sentiment
  text?: Sentiment
  image?: Sentiment
}

export interface AssembledLabels {
  labels: CandidateLabel[]
  conflict: boolean
}

/**
 * Turns the labels a file gives into annotations. Where only text and image are given, the
 * overall label follows the standard MVSA rule and is recorded under `<annotator>:rule`, so the
 * history says it was derived; a positive/negative pair gets no overall label and is flagged.
 */
export function assembleLabels(given: ModalityLabels, annotator: string): AssembledLabels {
  const labels: CandidateLabel[] = []
  if (given.text) labels.push({ modality: 'text', label: given.text, annotator })
  if (given.image) labels.push({ modality: 'image', label: given.image, annotator })
  const merged = given.text && given.image ? mergeTextImage(given.text, given.image) : null
  if (given.overall) labels.push({ modality: 'overall', label: given.overall, annotator })
  else if (merged?.label) labels.push({ modality: 'overall', label: merged.label, annotator: `${annotator}:rule` })
  return { labels, conflict: merged?.conflict ?? false }
}
