// Labels a run will not learn from, grouped by why: a person who labels conflict or test posts, or
// expects imported labels to count under "your labels", sees the reason in the launch dialog.
import type { NotCounted } from '#shared/runs'
import type { AnnotationSource, Split } from '#shared/vocabulary'

export interface LabeledPost {
  split: Split
  conflict: number | boolean
  label: string | null
  source: AnnotationSource | null
}

/** Why a label is left out, in the order the launch dialog lists them. */
const REASONS = {
  conflict: 'on conflict posts (text and image disagree): training and scoring leave them out',
  evaluation: 'on val/test posts: they score the run, they do not train it',
  imported: 'imported: “your labels” trains on labels set in this app; draw a budget to train on imported labels',
  notDrawable: 'corrections and accepted pseudo-labels: a drawn budget takes only human and imported labels',
} as const

/** Labels outside what a run of this mode learns from, with the count per reason (reasons with none left out). */
export function labelsNotCounted(posts: readonly LabeledPost[], mode: 'draw' | 'current'): NotCounted {
  const counts = new Map<keyof typeof REASONS, number>()
  const add = (reason: keyof typeof REASONS): void => void counts.set(reason, (counts.get(reason) ?? 0) + 1)
  for (const p of posts) {
    if (p.label === null) continue
    if (p.conflict || p.split === 'conflict') add('conflict')
    else if (p.split === 'val' || p.split === 'test') add('evaluation')
    else if (mode === 'current' && p.source === 'imported') add('imported')
    else if (mode === 'draw' && (p.source === 'correction' || p.source === 'pseudo-accepted')) add('notDrawable')
  }
  return (Object.keys(REASONS) as Array<keyof typeof REASONS>).flatMap((key) => (counts.get(key) ? [{ reason: REASONS[key], count: counts.get(key)! }] : []))
}
