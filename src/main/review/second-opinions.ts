// Second opinions on a proposal (issue 14): the run's distillation teacher's label and, in a run
// whose text and image heads learned ULGM's generated labels, those heads' labels. Where one gives
// another label than the proposal, the review shows it as a reason ("text teacher says negative
// (0.93)", "generated image label: neutral (0.61)"); where they agree, nothing is added.
import type { HeadPrediction, TeacherOpinion } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import type { RunSecondOpinions } from '#main/db/teacher-labels-repo'
import type { PseudoRow } from '#main/db/review-repo'
import path from 'node:path'

/** The teacher in words, as the reason names it. */
export function teacherName(run: RunSecondOpinions): string {
  switch (run.teacher) {
    case 'text':
      return 'text teacher'
    case 'image':
      return 'image teacher'
    case 'run':
      return `run #${run.teacherRun}'s teacher`
    case 'onnx':
      return `ONNX text teacher (${run.teacherFolder ? path.basename(run.teacherFolder) : 'model folder'})`
    default:
      return 'teacher'
  }
}

export function teacherOpinion(run: RunSecondOpinions, row: Pick<PseudoRow, 'teacherLabel' | 'teacherConfidence' | 'teacherKept'>): TeacherOpinion | null {
  if (row.teacherLabel === null || row.teacherConfidence === null) return null
  return { name: teacherName(run), label: row.teacherLabel, confidence: row.teacherConfidence, kept: row.teacherKept === 1 }
}

/** Reasons, teacher first, for each second opinion that disagrees with `proposed`. */
export function disagreementReasons(proposed: Sentiment, teacher: TeacherOpinion | null, generated: { text: HeadPrediction | null; image: HeadPrediction | null } | null): string[] {
  const reasons: string[] = []
  if (teacher && teacher.label !== proposed) {
    reasons.push(`${teacher.name} says ${teacher.label} (${teacher.confidence.toFixed(2)}${teacher.kept ? '' : ', below its filter'})`)
  }
  for (const modality of ['text', 'image'] as const) {
    const head = generated?.[modality]
    if (head && head.label !== proposed) reasons.push(`generated ${modality} label: ${head.label} (${head.confidence.toFixed(2)})`)
  }
  return reasons
}
