// teacher.source 'run': a finished run of the same project teaches the next one. Its stored
// proposals become the teacher's logits: SCDR's text head where the run has one (it teaches the
// image branch, as a text teacher does), else its fused predictions. A proposal keeps only its
// label and confidence, so the probabilities are rebuilt as p(label) = confidence and the rest
// shared evenly between the other classes: exact for hard targets, an approximation for soft ones.
import type { Database } from 'better-sqlite3'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { PseudoLabelsRepo } from '#main/db/pseudo-labels-repo'
import type { RunTeacherLogits } from '../teacher/teacher'

function logitsOf(label: Sentiment, confidence: number): number[] {
  const c = CONFUSION_ORDER.indexOf(label)
  const p = Math.min(Math.max(confidence, 1e-6), 1 - 1e-6)
  return CONFUSION_ORDER.map((_, i) => Math.log(i === c ? p : (1 - p) / (CONFUSION_ORDER.length - 1)))
}

/** The run's proposals as a teacher, or a message naming what is wrong. */
export function runTeacherLogits(db: Database, projectId: number, runId: number): RunTeacherLogits {
  const found = new PseudoLabelsRepo(db).teacherRows(runId, projectId)
  if (!found) throw new Error(`teacher.run ${runId}: no finished run with that id in this project`)
  if (found.rows.length === 0) throw new Error(`teacher.run ${runId}: that run stored no pseudo-labels to teach with`)
  const text = found.rows.every((r) => r.textLabel !== null && r.textConfidence !== null)
  const logits = new Map(found.rows.map((r) => [r.postId, text ? logitsOf(r.textLabel!, r.textConfidence!) : logitsOf(r.label, r.confidence)]))
  const detail = text
    ? `run #${runId}'s text head (${found.method}) labels the unlabeled posts; its labels teach the image branch`
    : `run #${runId}'s fused predictions (${found.method}) label the unlabeled posts; they teach the image branch`
  return { logits, detail, student: 'image' }
}
