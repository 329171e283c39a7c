// A finished run with plain pseudo-labels, written through the path a trainer's results take
// (RunsRepo.saveResults: the rows, the review order and the review counts), for tests of review.
import type { Backend } from '#main/app/backend'
import { RunsRepo } from '#main/db/runs-repo'
import type { Sentiment } from '#shared/vocabulary'
import { rowSource, type PseudoLabelRow } from './pseudo-label-rows'

const LABELS: Sentiment[] = ['positive', 'neutral', 'negative', 'positive', 'neutral', 'negative']
const CONFIDENCES = [0.95, 0.5, 0.9, 0.92, 0.9, 0.45]

/** Pseudo-label rows as a finished run without a pseudo-label filter hands them to the store, labels and confidences cycling. */
export const plainRows = (postIds: number[], confidences = CONFIDENCES): PseudoLabelRow[] =>
  postIds.map((postId, i) => ({
    postId,
    label: LABELS[i % LABELS.length]!,
    confidence: confidences[i % confidences.length]!,
    textLabel: null,
    textConfidence: null,
    imageLabel: null,
    imageConfidence: null,
    modality: null,
    plfDecision: 'not-applicable',
    plfReason: 'this method has no pseudo-label filter',
    plfCeText: null,
    plfCeImage: null,
    plfThreshold: null,
    loss: null,
  }))

/** A run of the project that finishes with `pseudo`, two rows per transaction (the chunked write ends as one transaction would). */
export async function finishRun(backend: Backend, projectId: number, pseudo: PseudoLabelRow[]): Promise<number> {
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'self-training', 'running')").run(projectId).lastInsertRowid)
  await new RunsRepo(db).saveResults(runId, { step: 1, selectedStep: 1, elapsedMs: 1, reports: {}, curves: [], pseudoLabels: rowSource(pseudo) }, { chunk: 2 })
  return runId
}
