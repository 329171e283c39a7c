// A small MVSA-Single folder for end-to-end tests, copied into a fresh temp dir (never into the
// repository: the data is research-only), and the counts the app must show for it, computed
// independently from the subset's own files.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SENTIMENTS, SPLITS, type Modality, type Sentiment, type Split } from '#shared/vocabulary'
import { MVSA_SINGLE } from '../unit/support/mvsa-dir'

const LABELS_FILE = 'labelResultAll.txt'
const SPLITS_FILE = 'splits.csv'

/** How many posts of each split the default subset takes, in splits.csv order: 200 in all. */
export const DEFAULT_QUOTAS: Partial<Record<Split, number>> = { train: 140, val: 20, test: 20, conflict: 20 }

export interface MvsaSubset {
  dir: string
  /** External ids in splits.csv order. */
  ids: string[]
  remove(): Promise<void>
}

export async function buildMvsaSubset(quotas = DEFAULT_QUOTAS, source = MVSA_SINGLE): Promise<MvsaSubset> {
  const splitRows = dataLines(await readFile(path.join(source, SPLITS_FILE), 'utf8'))
  const taken = new Map<Split, number>()
  const picked: string[] = []
  for (const line of splitRows) {
    const [id, split] = line.split(',') as [string, Split]
    if ((taken.get(split) ?? 0) >= (quotas[split] ?? 0)) continue
    taken.set(split, (taken.get(split) ?? 0) + 1)
    picked.push(id)
  }
  const keep = new Set(picked)

  // Inside the folder the e2e server is granted (--root), when there is one.
  const dir = await mkdtemp(path.join(process.env.CG_E2E_DIR ?? tmpdir(), 'common-ground-mvsa-'))
  await mkdir(path.join(dir, 'data'))
  // Byte copies: about a quarter of the texts are GBK, and the importer must see them as they are.
  for (const id of picked) {
    for (const ext of ['jpg', 'txt']) await copyFile(path.join(source, 'data', `${id}.${ext}`), path.join(dir, 'data', `${id}.${ext}`))
  }
  const labelText = await readFile(path.join(source, LABELS_FILE), 'utf8')
  await writeFile(path.join(dir, LABELS_FILE), subsetOf(labelText, keep, '\t'))
  await writeFile(path.join(dir, SPLITS_FILE), subsetOf(await readFile(path.join(source, SPLITS_FILE), 'utf8'), keep, ','))
  return { dir, ids: picked, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** The header and the rows whose first field is a kept id. */
function subsetOf(text: string, keep: Set<string>, separator: string): string {
  const [header, ...rows] = text.split(/\r?\n/)
  return [header, ...rows.filter((row) => keep.has(row.split(separator)[0]!))].join('\n') + '\n'
}

const dataLines = (text: string): string[] => text.split(/\r?\n/).slice(1).filter((line) => line.trim() !== '')

/** The usual single label: agreement → it; one neutral → the other; positive vs negative → none. */
export function overallLabel(text: Sentiment, image: Sentiment): Sentiment | null {
  if (text === image) return text
  if (text === 'neutral') return image
  if (image === 'neutral') return text
  return null
}

export type SplitCounts = Record<Sentiment | 'unlabeled' | 'total', number>

export interface ExpectedCounts {
  total: number
  bySplit: Partial<Record<Split, SplitCounts>>
  labels: Record<Modality, Record<Sentiment, number>>
  conflicts: number
}

const zeroSentiments = (): Record<Sentiment, number> => ({ positive: 0, neutral: 0, negative: 0 })

/** Each post's text and image label as labelResultAll.txt gives them, by external id. */
export async function modalityLabels(dir: string): Promise<Map<string, { text: Sentiment; image: Sentiment }>> {
  const rows = dataLines(await readFile(path.join(dir, LABELS_FILE), 'utf8')).map((line) => {
    const [id, pair] = line.split('\t') as [string, string]
    const [text, image] = pair.trim().split(',') as [Sentiment, Sentiment]
    if (!SENTIMENTS.includes(text) || !SENTIMENTS.includes(image)) throw new Error(`Unexpected row in the subset: ${line}`)
    return [id, { text, image }] as const
  })
  return new Map(rows)
}

/** What the project's counts must be after importing the MVSA folder at `dir`. */
export async function expectedCounts(dir: string): Promise<ExpectedCounts> {
  const splitOf = new Map(
    dataLines(await readFile(path.join(dir, SPLITS_FILE), 'utf8')).map((line) => line.split(',') as [string, Split]),
  )
  const counts: ExpectedCounts = {
    total: 0,
    bySplit: {},
    labels: { overall: zeroSentiments(), text: zeroSentiments(), image: zeroSentiments() },
    conflicts: 0,
  }
  for (const [id, { text, image }] of await modalityLabels(dir)) {
    const split = splitOf.get(id) ?? 'unassigned'
    if (!SPLITS.includes(split)) throw new Error(`Unexpected split for post ${id}: ${split}`)
    const overall = overallLabel(text, image)
    const row = (counts.bySplit[split] ??= { ...zeroSentiments(), unlabeled: 0, total: 0 })
    row[overall ?? 'unlabeled']++
    row.total++
    counts.total++
    counts.labels.text[text]++
    counts.labels.image[image]++
    if (overall) counts.labels.overall[overall]++
    else counts.conflicts++
  }
  return counts
}
