// A finished run's pseudo-labels go to the store as the columns of its last pass (no object per
// post): what lands in the store must be what the reviewer is shown for each post — the fused label
// and confidence, the unimodal guesses, the selected token and the PLF verdict with its numbers —
// for every unlabeled post and none of the labeled subset's.
import { describe, expect, it } from 'vitest'
import { RunsRepo } from '#main/db/runs-repo'
import { pseudoLabelAt, pseudoLabels, type PseudoLabelInputs } from '#main/training/evaluate'
import { storedPseudoLabels } from '#main/training/worker/stored-pseudo-labels'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

const C = 3

/** Logits for `rows` posts whose class is `row % 3` (or `(row + shift) % 3`), a margin growing with the row. */
const logits = (rows: number, shift = 0): Float32Array => {
  const out = new Float32Array(rows * C)
  for (let r = 0; r < rows; r++) out[r * C + ((r + shift) % C)] = 0.5 + r / 4
  return out
}

function setup(posts = 9) {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, posts)
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'running')").run(projectId).lastInsertRowid)
  const stored = () =>
    db
      .prepare(
        `SELECT post_id AS postId, label, confidence, text_label AS textLabel, text_confidence AS textConfidence, image_label AS imageLabel,
          image_confidence AS imageConfidence, modality, plf_decision AS plfDecision, plf_reason AS plfReason, plf_ce_text AS plfCeText,
          plf_ce_image AS plfCeImage, plf_threshold AS plfThreshold, loss FROM pseudo_labels WHERE run_id = ? ORDER BY post_id`,
      )
      .all(runId)
  const save = (source: ReturnType<typeof storedPseudoLabels>) =>
    new RunsRepo(db).saveResults(runId, { step: 1, selectedStep: 1, elapsedMs: 1, reports: {}, curves: [], pseudoLabels: source }, { chunk: 4 })
  return { postIds, stored, save }
}

/** What the store should hold for row i: the object view of the same columns, in the store's words. */
function expectedRow(labels: ReturnType<typeof pseudoLabels>, i: number) {
  const p = pseudoLabelAt(labels, i)
  const name = (k: number) => CONFUSION_ORDER[k]!
  const ruled = p.plf.decision !== 'not-applicable' ? p.plf.evidence : null
  return {
    postId: p.postId,
    label: name(p.label),
    confidence: p.confidence,
    textLabel: p.text && name(p.text.label),
    textConfidence: p.text?.confidence ?? null,
    imageLabel: p.image && name(p.image.label),
    imageConfidence: p.image?.confidence ?? null,
    modality: p.selected,
    plfDecision: p.plf.decision,
    plfReason: p.plf.decision === 'not-applicable' ? p.plf.reason : null,
    plfCeText: ruled?.ceText ?? null,
    plfCeImage: ruled?.ceImage ?? null,
    plfThreshold: ruled?.threshold ?? null,
    loss: p.loss,
  }
}

describe("a run's pseudo-labels as the store gets them", () => {
  it('stores SCDR columns post by post — labels, unimodal guesses, token, PLF verdict and numbers — and leaves the labeled subset out', async () => {
    const { postIds, stored, save } = setup()
    const n = postIds.length
    // The image head disagrees with the fused one on every post, and the common feature's CE against
    // it grows with the row: with threshold 1.5 the PLF keeps the first common-token posts and filters the later ones.
    const inputs: PseudoLabelInputs = {
      ids: postIds,
      clean: { logits: logits(n), text: logits(n), image: logits(n, 1), selected: Int32Array.from(postIds, (_, r) => (r % 4 === 3 ? 0 : 2)), textOnCommon: logits(n), imageOnCommon: logits(n, 2) },
      strongLogits: logits(n, 1),
    }
    const labels = pseudoLabels(inputs, C, 1.5)
    const labeled = new Set([postIds[1]!, postIds[6]!])
    await save(storedPseudoLabels(labels, labeled))

    const expected = postIds.flatMap((id, i) => (labeled.has(id) ? [] : [expectedRow(labels, i)]))
    expect(stored()).toEqual(expected)
    // The cases a reviewer tells apart are all there: kept and filtered on the common token, and a private token.
    const verdicts = new Set(expected.map((r) => `${r.modality}:${r.plfDecision}`))
    expect(verdicts).toEqual(new Set(['common:kept', 'common:filtered', 'text:kept']))
    expect(expected.every((r) => r.plfReason === null && r.plfThreshold === 1.5 && r.loss !== null)).toBe(true)
  })

  it("stores a method without a filter with its reason and no PLF numbers, and no loss when the strong view was not run", async () => {
    const { postIds, stored, save } = setup(5)
    const labels = pseudoLabels({ ids: postIds, clean: { logits: logits(postIds.length) }, strongLogits: null }, C, null, 'self-training has no pseudo-label filter')
    await save(storedPseudoLabels(labels, new Set()))
    const rows = stored() as ReturnType<typeof expectedRow>[]
    expect(rows).toEqual(postIds.map((_, i) => expectedRow(labels, i)))
    expect(rows.map((r) => [r.label, r.plfDecision, r.plfReason, r.plfCeText, r.modality, r.textLabel, r.loss])).toEqual(
      postIds.map((_, i) => [CONFUSION_ORDER[i % 3], 'not-applicable', 'self-training has no pseudo-label filter', null, null, null, null]),
    )
  })
})
