// The words every area shares: classes, modalities, splits, where a label came from. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type Sentiment = (typeof SENTIMENTS)[number]

/** What a label is about: the whole post, or one modality on its own. */
export const MODALITIES = ['overall', 'text', 'image'] as const
export type Modality = (typeof MODALITIES)[number]

/** `conflict` holds posts whose text and image disagree in polarity (kept, flagged, out of benchmarks). */
export const SPLITS = ['train', 'val', 'test', 'conflict', 'unassigned'] as const
export type Split = (typeof SPLITS)[number]

export const ANNOTATION_SOURCES = ['human', 'imported', 'pseudo-accepted', 'correction'] as const
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number]

/** Current label per modality; `null` where nobody (or no rule) labeled that modality. */
const currentLabel = v.nullable(v.picklist(SENTIMENTS))
export const LabelSet = v.object({ overall: currentLabel, text: currentLabel, image: currentLabel } satisfies Record<Modality, unknown>)
export type LabelSet = v.InferOutput<typeof LabelSet>

export type CountBySentiment = Record<Sentiment, number>

export const JOB_OUTCOMES = ['done', 'cancelled', 'failed'] as const
export type JobOutcome = (typeof JOB_OUTCOMES)[number]

/** Class order of confusion matrices (and of the trainer's class indices). */
export const CONFUSION_ORDER = ['negative', 'neutral', 'positive'] as const satisfies readonly Sentiment[]
