// Cross-modal distillation teachers (issue 14, ALGORITHMS §3): a frozen model labels the unlabeled
// posts from one modality and those labels supervise the other modality's branch of a run. The
// settings (config group `teacher`) and what a run's teacher did (stored on the run, shown in its details).
import * as v from 'valibot'

/** Where the teacher's labels come from: a text head, an image head, a finished run's predictions, an ONNX text sentiment model in a folder, or none. */
export const TEACHER_SOURCES = ['off', 'text', 'image', 'run', 'onnx'] as const
export type TeacherSource = (typeof TEACHER_SOURCES)[number]

/** §3.3's per-class confidence filter, one threshold for every class, or every argmax kept. */
export const TEACHER_FILTERS = ['per-class', 'flat', 'off'] as const
export type TeacherFilter = (typeof TEACHER_FILTERS)[number]

export const TEACHER_TARGETS = ['hard', 'soft'] as const
export type TeacherTargets = (typeof TEACHER_TARGETS)[number]

/** A run's teacher (config group `teacher`). */
export interface TeacherSettings {
  /** 'text': a linear head on the labeled posts' text features teaches the image side; 'image' the reverse; 'run': a finished run's predictions (teacher.run); 'off'. */
  source: TeacherSource
  /** The finished run whose predictions teach (source 'run'): its text head where it has one, else its fused predictions. */
  run: number
  /** The folder of the ONNX text sentiment model (source 'onnx'): model.onnx, tokenizer.json and labels.json or config.json naming its classes. */
  folder: string
  /** 'per-class': keep a label when its probability is strictly above its class's threshold (§3.3); 'flat': above teacher.flat; 'off': every argmax. */
  filter: TeacherFilter
  /** §3.3's thresholds: negative 0.70, neutral 0.90, positive 0.90. */
  negative: number
  neutral: number
  positive: number
  /** The flat variant's one threshold (0.70). */
  flat: number
  /** 'hard': the kept argmax labels (§3.3); 'soft': the teacher's probabilities at teacher.temperature. */
  targets: TeacherTargets
  /** Soft targets are softmax(z / T) and the student's log-softmax(z / T), the loss scaled by T² (Hinton et al.). */
  temperature: number
  /** Weight of the teacher's loss beside the run's own losses. */
  weight: number
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0))
const share = v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1)))

/**
 * What a run's teacher did: how many unlabeled posts it labeled per class (CONFUSION_ORDER) after
 * the filter, of how many, and how many of the kept ones match the posts' known labels (human or
 * imported labels outside the run's labeled subset: logged only, never trained on).
 */
export const TeacherUsed = v.object({
  source: v.picklist(TEACHER_SOURCES),
  /** In words: which model, which modality it read, what it teaches. */
  detail: v.string(),
  filter: v.picklist(TEACHER_FILTERS),
  targets: v.picklist(TEACHER_TARGETS),
  /** Unlabeled posts the teacher read. */
  posts: count,
  /** Kept labels per class (negative, neutral, positive). */
  kept: v.array(count),
  /** Kept posts with a known label, and how many of those it got right. */
  known: count,
  correct: count,
  /** correct / known (null without any known label). */
  accuracy: share,
  /** The same on the val posts (its accuracy before the filter, and on the kept ones). */
  valAccuracy: share,
  valKeptAccuracy: share,
  /** The ONNX text model that labeled the posts (source 'onnx'): its folder, the model file's SHA-256 and its classes mapped to sentiments. */
  model: v.optional(
    v.object({
      folder: v.string(),
      sha256: v.string(),
      /** Output index → sentiment, as labels.json / config.json named them. */
      labels: v.array(v.string()),
    }),
  ),
})
export type TeacherUsed = v.InferOutput<typeof TeacherUsed>
