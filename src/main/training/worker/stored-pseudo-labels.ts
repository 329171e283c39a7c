// A finished run's pseudo-labels as the store's writer reads them (RunResults.pseudoLabels): the
// columns of the end-of-run pass read in place as each row is bound, the labeled subset's posts left
// out. At 100,000 posts a row object per post, built from an object per post, was 0.2-0.3 s of the
// pseudo-labelling's 2 s (docs/RESULTS.md, seventh round).
import type { PseudoLabelSource } from '#main/db/pseudo-label-writer'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { plfVerdictAt, type PseudoLabels } from '../evaluate'
import { TOKENS } from '../pseudo-label-rules'

/** One pseudo-label per unlabeled post: rows of `labels` whose post is not in `labeled`, in pool order. */
export function storedPseudoLabels(labels: PseudoLabels, labeled: ReadonlySet<number>): PseudoLabelSource {
  const { ids, label, confidence, text, image, selected, loss } = labels
  const kept = new Int32Array(ids.length)
  let count = 0
  for (let i = 0; i < ids.length; i++) if (!labeled.has(ids[i]!)) kept[count++] = i
  const rows = kept.subarray(0, count)
  const name = (k: number): Sentiment => CONFUSION_ORDER[k]!
  return {
    count,
    postId: (i) => ids[rows[i]!]!,
    confidence: (i) => confidence[rows[i]!]!,
    label: (i) => name(label[rows[i]!]!),
    put(i, out, at) {
      const r = rows[i]!
      out[at] = ids[r]
      out[at + 1] = name(label[r]!)
      out[at + 2] = confidence[r]
      out[at + 3] = text ? name(text.label[r]!) : null
      out[at + 4] = text ? text.score[r] : null
      out[at + 5] = image ? name(image.label[r]!) : null
      out[at + 6] = image ? image.score[r] : null
      out[at + 7] = selected ? TOKENS[selected[r]!] : null
      const verdict = plfVerdictAt(labels, r)
      out[at + 8] = verdict.decision
      const evidence = verdict.decision === 'not-applicable' ? null : verdict.evidence
      out[at + 9] = verdict.decision === 'not-applicable' ? verdict.reason : null
      out[at + 10] = evidence && evidence.ceText
      out[at + 11] = evidence && evidence.ceImage
      out[at + 12] = evidence && evidence.threshold
      const l = loss ? loss[r]! : null
      out[at + 13] = l !== null && Number.isFinite(l) ? l : null
    },
  }
}
