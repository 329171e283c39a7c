// The MVSA folder layout as distributed: data/<id>.jpg + data/<id>.txt, labelResultAll.txt with
// one `text,image` pair per annotator (1 for MVSA-Single, 3 for MVSA-Multiple), optional splits.csv.
// Every pass over lines or file names gives the shell's event loop turns (a layout may hold 100,000 posts).
import { readFile, realpath, stat } from 'node:fs/promises'
import { folderEntries } from '#main/core/folder-entries'
import path from 'node:path'
import type { Sentiment, Split } from '#shared/vocabulary'
import type { CandidateLabel } from '#main/db/import-writer'
import type { Candidate } from './candidate'
import { majority, parseSentiment, sentimentList } from './label-rules'
import { assembleLabels, type AssembledLabels } from './post-labels'
import type { ProblemLog } from './problems'
import { postText } from './read-text-file'
import { sortNatural } from '#main/core/natural-order'
import { forEachInTurns, loopTurns } from '#main/core/loop-turns'
import { parseSplit, splitList } from './split-values'
import { decodeTextInTurns } from './text-decoding'
import { eachLineInTurns } from './lines-in-turns'
import { IMAGE_EXTENSIONS, isImageFile, isTextFile } from '#main/media/content-type'

export const MVSA_LABEL_FILE = 'labelResultAll.txt'
export const MVSA_SPLITS_FILE = 'splits.csv'
const MODALITY_PAIR = /^\s*([^,]*?)\s*,\s*([^,]*?)\s*$/

interface LabelRow {
  line: number
  /** One [text, image] pair per annotator who gave both. */
  pairs: Array<[Sentiment, Sentiment]>
}

export async function readMvsa(root: string, log: ProblemLog, signal: AbortSignal): Promise<Candidate[]> {
  const dataDir = path.join(root, 'data')
  const labelFile = path.join(root, MVSA_LABEL_FILE)
  const { rows: labelRows, rejected } = await readLabelFile(labelFile, log)
  const splits = await readSplits(path.join(root, MVSA_SPLITS_FILE), log)
  // A post whose label row is broken is left out, not imported unlabeled: its labels would be lost silently.
  const present = await postIds(dataDir, labelRows, log)
  const ids = present.ids.filter((id) => !rejected.has(id))
  // A loop, not Math.max(...rows): spread over ~125,000 rows or more, that threw "Maximum call stack size exceeded".
  let annotators = 1
  for (const row of labelRows.values()) annotators = Math.max(annotators, row.pairs.length)
  const realRoot = await realpath(root)

  const candidates: Candidate[] = []
  for (const id of ids) {
    signal.throwIfAborted()
    const row = labelRows.get(id)
    // The names as listed: `X.TXT` is opened as such, which a case-sensitive disk tells from `X.txt`.
    const textFile = path.join(dataDir, present.texts.get(id) ?? `${id}.txt`)
    const origin = row ? { file: labelFile, line: row.line } : { file: textFile }
    const text = await postText(textFile, realRoot, id, { file: textFile }, log)
    if (text === null) continue
    const { labels, conflict } = row ? mvsaLabels(row, annotators) : { labels: [], conflict: false }
    const split = splits.get(id) ?? (conflict ? 'conflict' : 'unassigned')
    candidates.push({
      externalId: id,
      origin,
      text,
      // Reported as missing when the images are checked.
      imageFile: path.join(dataDir, present.images.get(id) ?? `${id}.jpg`),
      labels,
      split,
      conflict,
    })
  }
  for (const id of splits.keys()) {
    if (!present.known.has(id)) {
      log.warn('bad-row', { file: path.join(root, MVSA_SPLITS_FILE) }, `splits.csv names post ${id}, which is not in the data folder`, id)
    }
  }
  return candidates
}

/** Single: the annotator's pair. Multiple: every annotator's pair, then the 2-of-3 majority per modality. */
function mvsaLabels(row: LabelRow, annotators: number): AssembledLabels {
  if (annotators === 1) {
    const [text, image] = row.pairs[0]!
    return assembleLabels({ text, image }, 'mvsa')
  }
  const individual: CandidateLabel[] = row.pairs.flatMap(([text, image], i) => [
    { modality: 'text' as const, label: text, annotator: `mvsa:annotator-${i + 1}` },
    { modality: 'image' as const, label: image, annotator: `mvsa:annotator-${i + 1}` },
  ])
  const text = majority(row.pairs.map((p) => p[0])) ?? undefined
  const image = majority(row.pairs.map((p) => p[1])) ?? undefined
  const merged = assembleLabels({ text, image }, 'mvsa:majority')
  return { labels: [...individual, ...merged.labels], conflict: merged.conflict }
}

interface LabelFile {
  rows: Map<string, LabelRow>
  /** Ids whose row could not be read. */
  rejected: Set<string>
}

async function readLabelFile(file: string, log: ProblemLog): Promise<LabelFile> {
  const rows = new Map<string, LabelRow>()
  const rejected = new Set<string>()
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch {
    log.warn('no-labels-file', { file }, `${MVSA_LABEL_FILE} not found: posts are imported without labels`)
    return { rows, rejected }
  }
  // Read from its first line: whether it is a header ("ID<TAB>text,image" once per annotator) or data.
  let expectedPairs = 0
  let badHeader = false
  const readLine = (raw: string, lineNo: number): void => {
    if (badHeader) return
    if (lineNo === 1 && !/^\d/.test(raw.trim())) {
      const header = raw.trim()
      if (/^id\b/i.test(header)) expectedPairs = header.split('\t').length - 1
      else {
        badHeader = true
        log.error('bad-file', { file, line: 1 }, `Expected the header "ID<TAB>text,image", found "${header.slice(0, 60)}"`)
      }
      return
    }
    if (raw.trim() === '') return
    const at = { file, line: lineNo }
    const [id = '', ...cells] = raw.split('\t').map((c) => c.trim())
    const reject = (code: 'bad-row' | 'unknown-label', message: string): void => {
      log.error(code, at, message, id || undefined)
      if (id && !rows.has(id)) rejected.add(id)
    }
    if (id === '' || cells.length === 0 || (expectedPairs > 0 && cells.length !== expectedPairs)) {
      reject('bad-row', `Expected "ID<TAB>text,image"${expectedPairs > 1 ? ` ×${expectedPairs}` : ''}, found "${raw.slice(0, 80)}"`)
      return
    }
    if (rows.has(id)) {
      log.error('duplicate-id', at, `Post ${id} is labeled again (first on line ${rows.get(id)!.line}); this line is ignored`, id)
      return
    }
    const pairs: Array<[Sentiment, Sentiment]> = []
    for (const cell of cells) {
      if (cell === '' && cells.length > 1) continue // MVSA-Multiple leaves some annotators' cells empty
      const match = MODALITY_PAIR.exec(cell)
      if (!match || match[1] === '' || match[2] === '') {
        reject('bad-row', `Expected "text,image" labels, found "${cell}"`)
        return
      }
      const text = parseSentiment(match[1])
      const image = parseSentiment(match[2])
      if (!text || !image) {
        const word = !text ? match[1] : match[2]
        reject('unknown-label', `Unknown label "${word}" (expected one of ${sentimentList()})`)
        return
      }
      pairs.push([text, image])
    }
    if (pairs.length === 0) {
      reject('bad-row', 'No annotator gave both a text and an image label')
      return
    }
    rows.set(id, { line: lineNo, pairs })
  }
  await eachLineOf(bytes, readLine)
  return { rows, rejected }
}

async function readSplits(file: string, log: ProblemLog): Promise<Map<string, Split>> {
  const splits = new Map<string, Split>()
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch {
    return splits // optional
  }
  const readLine = (raw: string, lineNo: number): void => {
    if (raw.trim() === '' || (lineNo === 1 && /^\s*id\s*,/i.test(raw))) return
    const at = { file, line: lineNo }
    const [id, value, ...extra] = raw.split(',').map((c) => c.trim())
    if (!id || value === undefined || extra.length > 0) {
      log.error('bad-row', at, `Expected "id,split", found "${raw.slice(0, 80)}"`)
      return
    }
    const split = parseSplit(value)
    if (!split) {
      log.warn('unknown-split', at, `Unknown split "${value}" (expected one of ${splitList()}); post ${id} stays unassigned`, id)
      return
    }
    splits.set(id, split)
  }
  await eachLineOf(bytes, readLine)
  return splits
}

/** Each line of a small-format file (the label file, splits.csv), decoded and walked in turns. */
async function eachLineOf(bytes: Uint8Array, take: (line: string, lineNo: number) => void): Promise<void> {
  const turn = loopTurns()
  await eachLineInTurns((await decodeTextInTurns(bytes, turn)).parts, take, turn)
}

interface PresentPosts {
  /** In natural order. */
  ids: string[]
  known: Set<string>
  /** Each post's text and image file in data/, by the names listed there. */
  texts: Map<string, string>
  images: Map<string, string>
}

/** Rank of an image's extension: where one id has several images, the first of IMAGE_EXTENSIONS is the post's. */
const imageRank = (name: string): number => (IMAGE_EXTENSIONS as readonly string[]).indexOf(path.extname(name).toLowerCase())

/** Every post id present in data/ (by its text or image file) or in the label file, with the names of its files. */
async function postIds(dataDir: string, labelRows: Map<string, LabelRow>, log: ProblemLog): Promise<PresentPosts> {
  // Filled in turns: `new Set(labelRows.keys())` of 100,000 ids held the loop ~34 ms.
  const ids = new Set<string>()
  const texts = new Map<string, string>()
  const images = new Map<string, string>()
  await forEachInTurns(labelRows.keys(), (id) => ids.add(id))
  try {
    if (!(await stat(dataDir)).isDirectory()) throw new Error('not a folder')
    const turn = loopTurns()
    for await (const { name } of await folderEntries(dataDir)) {
      await turn()
      const id = name.slice(0, -path.extname(name).length)
      if (isTextFile(name)) texts.set(id, name)
      else if (isImageFile(name)) {
        const before = images.get(id)
        if (before === undefined || imageRank(name) < imageRank(before)) images.set(id, name)
      } else continue
      ids.add(id)
    }
  } catch {
    log.error('bad-file', { file: dataDir }, 'The MVSA layout needs a "data" folder with <id>.jpg and <id>.txt files')
  }
  return { ids: await sortNatural([...ids]), known: ids, texts, images }
}
