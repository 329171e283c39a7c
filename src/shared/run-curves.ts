// A run's curves: the statistics a training step reports, and the points the monitor draws.
// Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'

/**
 * The loss terms and rates a training step reports (names per method, see TRAINING.md). Every
 * method: `loss`; supervised, FixMatch, FlexMatch: `lx` (labeled CE), and with unlabeled posts `lu`,
 * `maskM`; SCDR: `lsup`, `lm`, `lu`, `lrec`, `lcyc`, `lort`, `lsim`, `lsel` (a trained selector),
 * `maskM`/`maskT`/`maskV` (pseudo-labels kept per head), `plfDropped`, `selectedText`/`Image`/`Common`
 * (the selector's picks), `labelFilterText`/`Image` (labeled posts kept for the unimodal heads);
 * SPP-SCL: `lx` (CE), `sclText`/`sclImage` (intra-modal SupCon), `sclInter` (step 2's loss, when it
 * ran), `interStep` (1 when step 2 ran); with ULGM: `ulgmText`/`ulgmImage` (the unimodal tasks' weighted
 * L1) and `ulgmShift` (mean |generated − fused| label of the batch); with a teacher, `lteacher` (its
 * loss on the student branch) and `teacherMask` (share of the batch's unlabeled posts it labels);
 * with text-guided fusion, `tgfFocus` (1 − the attention's entropy over the regions / log K, on the
 * labeled rows: 0 = every region alike, 1 = one region per head);
 * `gradNorm` when gradients are clipped.
 */
export const STEP_STATS = [
  'loss',
  'lx',
  'lsup',
  'lm',
  'lu',
  'lrec',
  'lcyc',
  'lort',
  'lsim',
  'lsel',
  'maskM',
  'maskT',
  'maskV',
  'plfDropped',
  'selectedText',
  'selectedImage',
  'selectedCommon',
  'labelFilterText',
  'labelFilterImage',
  'lteacher',
  'teacherMask',
  'gradNorm',
  'sclText',
  'sclImage',
  'sclInter',
  'interStep',
  'ulgmText',
  'ulgmImage',
  'ulgmShift',
  'tgfFocus',
] as const
export type StepStat = (typeof STEP_STATS)[number]
export type StepStats = Partial<Record<StepStat, number>>

/**
 * A run's curves: every step statistic, the learning rate, accuracy of the EMA weights at each
 * evaluation, and `round`: the first step of each self-training round after the first (its value the
 * round), where the head is fitted again from zero and its curves start again.
 */
export const CURVE_SERIES = [...STEP_STATS, 'lr', 'val.accuracy', 'test.accuracy', 'round'] as const
export type CurveSeries = (typeof CURVE_SERIES)[number]

export const isCurveSeries = (name: string): name is CurveSeries => (CURVE_SERIES as readonly string[]).includes(name)

/**
 * One point of a run's curves, the one shape from the trainer to the chart: the trainer's progress,
 * the trainer process's messages, the run_metrics rows, `runs.get` and the `runs.progress` events.
 * Values are finite (a step whose loss is not is left out of its curve).
 */
export const CurvePoint = v.object({ step: v.number(), series: v.picklist(CURVE_SERIES), value: v.pipe(v.number(), v.finite()) })
export type CurvePoint = v.InferOutput<typeof CurvePoint>
