import { SPLITS, type Split } from '#shared/vocabulary'

const ALIASES: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  test: 'test',
  conflict: 'conflict',
  unassigned: 'unassigned',
  '': 'unassigned',
}

/** Parses a split name as written in data files; `null` for a word we do not know. */
export const parseSplit = (raw: unknown): Split | null => ALIASES[String(raw ?? '').trim().toLowerCase()] ?? null

export const splitList = (): string => SPLITS.join(', ')
