// The distillation teacher (ALGORITHMS §3) side by side with a PyTorch reference written from
// ALGORITHMS.md (bench/reference/scdr_options_reference.py): a text teacher's logits on the unlabeled
// posts (the linear head the run would fit), filtered by §3.3 and teaching SCDR's image branch and
// FixMatch's image-only pass, with hard labels and with soft targets at a temperature. Per step the
// teacher term and the total within 1 % (synced to the port's weights before each step, and how long
// free-running stays within 1 %); and the §3.3 decisions (label, kept or not, per class, strict >)
// of every filter mode on the same probabilities, the pool's and a few rows on the thresholds and ties.
//
//   npm run bench teacher-ref   (CG_BENCH_DB=COPY for cached features, as the training bench)
import type { StepStats, TrainingConfig } from '#shared/runs'
import type { TeacherFilter } from '#shared/run-teacher'
import { makeConfig } from '#main/training/config'
import type { Matrix, TrainingData } from '#main/training/data'
import { filterTeacherLabels, softmaxRows } from '#main/training/teacher/filter'
import { buildTeacher, modalityTeacherLogits } from '#main/training/teacher/teacher'
import { CLASSES } from '#main/training/trainer'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import type { Bench, Figure } from './harness'
import { portSteps, referenceFeatures, referenceOn, reportTable, termRows, type BothWays, type TableRow } from './reference-steps'

const STEPS = 45
/** Rows on the §3.3 thresholds (0.70 negative, 0.90 neutral/positive: not kept, strict >), just above them, and ties (to the lower class). */
const EDGES = [
  [0.7, 0.2, 0.1], [0.7000001, 0.2, 0.0999999], [0.1, 0.9, 0.0], [0.05, 0.05, 0.9], [0.0, 0.05, 0.95], [0.8, 0.1, 0.1], [0.1, 0.8, 0.1],
  [0.45, 0.45, 0.1], [0.1, 0.45, 0.45], [0.45, 0.1, 0.45], [1 / 3, 1 / 3, 1 / 3],
]
const MODES: TeacherFilter[] = ['per-class', 'flat', 'off']

type Decisions = Record<TeacherFilter, { label: number[]; keep: number[] }>

/** Agreement of the filter's decisions (label and kept) per mode, and per class for the per-class rule. */
function filterRows(probs: Float64Array, config: TrainingConfig, theirs: Decisions): TableRow[] {
  const t = config.teacher
  return MODES.flatMap((filter) => {
    const ours = filterTeacherLabels(probs, CLASSES, { filter, perClass: [t.negative, t.neutral, t.positive], flat: t.flat })
    const same = (i: number) => ours.label[i] === theirs[filter].label[i] && ours.keep[i] === theirs[filter].keep[i]
    const rows = Array.from(ours.label.keys())
    const kept = rows.filter((i) => ours.keep[i]).length
    const all: TableRow = { term: `§3.3 filter ${filter}: label and kept`, agree: rows.filter(same).length / rows.length, note: `${rows.length} rows (${EDGES.length} on thresholds/ties), ${kept} kept` }
    if (filter !== 'per-class') return [all]
    return [
      all,
      ...CONFUSION_ORDER.map((name, c) => {
        const of = rows.filter((i) => ours.label[i] === c)
        return { term: `  ${name}`, agree: of.filter(same).length / Math.max(1, of.length), note: `${of.length} rows, ${of.filter((i) => ours.keep[i]).length} kept` }
      }),
    ]
  })
}

async function side(name: string, config: TrainingConfig, d: TrainingData<Matrix>, terms: readonly string[], withFilter: boolean): Promise<Figure[]> {
  const shifts = { pool: new Float32Array(CLASSES), align: new Float32Array(CLASSES) }
  const teacher = buildTeacher(config.teacher, d, { seed: config.seed, classes: CLASSES, ...shifts })!
  // The same fit buildTeacher made (seeded): the logits the reference filters itself.
  const logits = modalityTeacherLogits(d, 'txt', config.seed, shifts, CLASSES).unlabeled
  const probs = Float64Array.from([...softmaxRows(logits, CLASSES), ...EDGES.flat()])
  const steps = portSteps(config, d, { steps: STEPS, sync: true, teacher, scheduleSteps: config.steps })
  const theirs = await referenceOn<BothWays<{ stats: StepStats[] }> & { filter: Decisions }>('scdr_options_reference.py', steps, {
    variant: 'teacher',
    model: config.method === 'scdr' ? 'scdr' : 'fusion',
    teacher: { logits, student: teacher.student, settings: config.teacher },
    filter: { probs },
  })
  if (!theirs) return []
  const rate = steps.ours.reduce((a, s) => a + (s.teacherMask ?? 0), 0) / STEPS
  console.log(`${name}: the teacher keeps ${(100 * rate).toFixed(1)} % of the batches' unlabeled rows (port)`)
  return reportTable('teacher-ref', `${name} vs PyTorch ${theirs.torch}, ${STEPS} steps`, [...termRows(steps.ours, theirs, terms), ...(withFilter ? filterRows(probs, config, theirs.filter) : [])])
}

export const teacherRef: Bench = {
  name: 'teacher-ref',
  onlyWhenNamed: true,
  async run() {
    const d = await referenceFeatures()
    const scdrTerms = ['loss', 'lteacher', 'teacherMask', 'lsup', 'lu', 'lrec', 'lcyc', 'lort', 'lsim']
    const fixTerms = ['loss', 'lteacher', 'teacherMask', 'lx', 'lu']
    const hard = { source: 'text' as const }
    const soft = { source: 'text' as const, targets: 'soft' as const, temperature: 2 }
    return [
      ...(await side('SCDR + text teacher, hard labels', makeConfig('default', { method: 'scdr', teacher: hard }), d, scdrTerms, true)),
      ...(await side('SCDR + text teacher, soft targets T = 2', makeConfig('default', { method: 'scdr', teacher: soft }), d, scdrTerms, false)),
      ...(await side('FixMatch + text teacher, hard labels', makeConfig('default', { method: 'fixmatch', teacher: hard }), d, fixTerms, false)),
      ...(await side('FixMatch + text teacher, soft targets T = 2', makeConfig('default', { method: 'fixmatch', teacher: soft }), d, fixTerms, false)),
    ]
  },
}
