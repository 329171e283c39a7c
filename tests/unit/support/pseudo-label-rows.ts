// Pseudo-label rows written out as objects, one per post, and handed to the store as a trainer's
// columns would be (PseudoLabelSource): tests state each row's stored values plainly.
import type { PseudoLabelSource } from '#main/db/pseudo-label-writer'
import type { Sentiment } from '#shared/vocabulary'

/** One pseudo-label as the store keeps it, column by column (PSEUDO_LABEL_COLUMNS). */
export interface PseudoLabelRow {
  postId: number
  /** A name the store refuses too (a test of what happens then). */
  label: string
  confidence: number
  textLabel: string | null
  textConfidence: number | null
  imageLabel: string | null
  imageConfidence: number | null
  modality: string | null
  plfDecision: string
  plfReason: string | null
  plfCeText: number | null
  plfCeImage: number | null
  plfThreshold: number | null
  loss: number | null
}

export function rowSource(rows: readonly PseudoLabelRow[]): PseudoLabelSource {
  return {
    count: rows.length,
    postId: (i) => rows[i]!.postId,
    confidence: (i) => rows[i]!.confidence,
    label: (i) => rows[i]!.label as Sentiment,
    put(i, out, at) {
      const p = rows[i]!
      const values = [p.postId, p.label, p.confidence, p.textLabel, p.textConfidence, p.imageLabel, p.imageConfidence, p.modality, p.plfDecision, p.plfReason, p.plfCeText, p.plfCeImage, p.plfThreshold, p.loss]
      values.forEach((v, k) => (out[at + k] = v))
    },
  }
}
