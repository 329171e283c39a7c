// Messages from a label check's thread to the shell (both ends are this project's code in one process).
import type { LabelCheckResult } from '#main/review/label-check'

export type FromCheckThread =
  | { kind: 'progress'; phase: string; done: number; total: number }
  | { kind: 'done'; result: LabelCheckResult }
  | { kind: 'failed'; error: string }
