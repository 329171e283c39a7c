// CSV and JSONL: one post per record with an id, a text, an image path (relative to the file's
// folder) and optional labels and split. Both formats share the record validation below. The app
// reads them on the shell's event loop: a CSV is parsed a chunk at a time and every loop gives the
// loop a turn every few milliseconds (a 100,000-row CSV held it ~1–2 s when parsed in one call).
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse'
import { loopTurns } from '#main/core/loop-turns'
import type { Candidate } from './candidate'
import { parseSentiment, sentimentList } from './label-rules'
import { assembleLabels, type ModalityLabels } from './post-labels'
import type { ProblemLog } from './problems'
import { parseSplit, splitList } from './split-values'
import { eachLineInTurns } from './lines-in-turns'
import { decodeTextInTurns, encodingWarning, normalisePostText } from './text-decoding'
import { resolveImageRef } from './image-ref'

/** Accepted column names, first match wins. */
const COLUMNS = {
  id: ['id', 'external_id', 'post_id', 'tweet_id'],
  text: ['text', 'caption', 'tweet', 'content'],
  image: ['image', 'image_path', 'img', 'image_file', 'file'],
  image_root: ['image_root'],
  overall: ['label', 'overall', 'sentiment', 'overall_label'],
  text_label: ['text_label', 'label_text'],
  image_label: ['image_label', 'label_image'],
  split: ['split', 'set', 'fold'],
} as const

type Field = keyof typeof COLUMNS
type RecordValues = Record<string, unknown>

interface NumberedRecord {
  line: number
  values: RecordValues
}

function pick(values: RecordValues, field: Field): unknown {
  for (const name of COLUMNS[field]) {
    for (const key of Object.keys(values)) if (key.trim().toLowerCase() === name) return values[key]
  }
  return undefined
}

/** Reads a file as text in pieces (each ending on a whole character), UTF-8 first, GB18030 otherwise (and says so). */
async function readDecoded(file: string, log: ProblemLog): Promise<string[]> {
  const bytes = await readFile(file)
  const decoded = await decodeTextInTurns(bytes, loopTurns())
  const warning = encodingWarning(decoded, bytes)
  if (warning) log.warn(warning.code, { file, ...(warning.lines.length > 0 ? { line: warning.lines[0] } : {}) }, warning.message)
  return decoded.parts
}

/** Characters of CSV given to the parser at a time (cut at a line end): a few milliseconds of parsing. */
const CSV_CHUNK = 64 * 1024

export async function readCsv(file: string, log: ProblemLog): Promise<Candidate[]> {
  const parts = await readDecoded(file, log)
  const records: NumberedRecord[] = []
  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
    info: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const line = (err as { lines?: unknown } | undefined)?.lines
      log.error('bad-row', { file, line: typeof line === 'number' ? line : undefined }, `Unreadable CSV row: ${err?.message ?? 'malformed'}`)
      return undefined
    },
  })
  // Fed a chunk at a time, waiting for the parser to take each: the records it parsed are read as it
  // goes, so no chunk waits to be parsed in a burst with the others.
  const feeding = (async () => {
    const turn = loopTurns()
    for (const part of parts) {
      for (let at = 0; at < part.length; ) {
        // Cut after a line end, never inside a character (a piece ends on a whole one).
        const cut = part.indexOf('\n', at + CSV_CHUNK)
        const end = cut === -1 ? part.length : cut + 1
        if (!parser.write(part.slice(at, end))) await once(parser, 'drain')
        at = end
        await turn()
      }
    }
    parser.end()
  })()
  // A parser that fails throws from the loop below; the feeding then has nothing to report.
  feeding.catch(() => undefined)
  try {
    for await (const row of parser as AsyncIterable<{ record: RecordValues; info: { lines: number } }>) records.push({ line: row.info.lines, values: row.record })
    await feeding
  } catch (err) {
    // Rows it cannot read are skipped and named one by one (on_skip); this is the parser itself
    // failing. The file is refused whole, as an unreadable JSON file is, rather than cut at that row.
    const line = (err as { lines?: unknown }).lines
    log.error('bad-file', { file, line: typeof line === 'number' ? line : undefined }, `Unreadable CSV, none of its rows taken: ${(err as Error).message}`)
    return []
  }
  return toCandidates(records, file, log)
}

export async function readJsonl(file: string, log: ProblemLog): Promise<Candidate[]> {
  const records: NumberedRecord[] = []
  const take = (raw: string, line: number): void => {
    if (raw.trim() === '') return
    try {
      const value: unknown = JSON.parse(raw)
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object')
      records.push({ line, values: value as RecordValues })
    } catch (err) {
      log.error('bad-row', { file, line }, `Not a JSON object: ${(err as Error).message}`)
    }
  }
  // Line by line through the pieces, without joining or splitting the whole file (10 MB at 100,000 posts).
  await eachLineInTurns(await readDecoded(file, log), take, loopTurns())
  return toCandidates(records, file, log)
}

async function toCandidates(records: NumberedRecord[], file: string, log: ProblemLog): Promise<Candidate[]> {
  const root = path.dirname(file)
  const annotator = `import:${path.basename(file)}`
  const candidates: Candidate[] = []
  const turn = loopTurns()
  for (const { line, values } of records) {
    await turn()
    const at = { file, line }
    const id = String(pick(values, 'id') ?? '').trim()
    if (id === '') {
      log.error('bad-row', at, `No id (columns tried: ${COLUMNS.id.join(', ')})`)
      continue
    }
    const rawText = pick(values, 'text')
    if (rawText === undefined || rawText === null) {
      log.error('missing-text', at, `No text (columns tried: ${COLUMNS.text.join(', ')})`, id)
      continue
    }
    const imageRef = String(pick(values, 'image') ?? '').trim()
    if (imageRef === '') {
      log.error('missing-image', at, `No image path (columns tried: ${COLUMNS.image.join(', ')})`, id)
      continue
    }
    const image = resolveImageRef(root, imageRef, pick(values, 'image_root'))
    if ('problem' in image) {
      log.error('path-outside-dataset', at, image.problem, id)
      continue
    }
    const given: ModalityLabels = {}
    let badLabel = false
    for (const [field, modality] of [['overall', 'overall'], ['text_label', 'text'], ['image_label', 'image']] as const) {
      const raw = pick(values, field)
      const label = parseSentiment(raw)
      if (label === null) {
        log.error('unknown-label', at, `Unknown ${modality} label "${String(raw)}" (expected one of ${sentimentList()})`, id)
        badLabel = true
      } else if (label) given[modality] = label
    }
    if (badLabel) continue
    const rawSplit = pick(values, 'split')
    let split = parseSplit(rawSplit)
    if (split === null) {
      log.warn('unknown-split', at, `Unknown split "${String(rawSplit)}" (expected one of ${splitList()}); left unassigned`, id)
      split = 'unassigned'
    }
    const { labels, conflict } = assembleLabels(given, annotator)
    candidates.push({
      externalId: id,
      origin: at,
      text: normalisePostText(String(rawText)),
      ...image,
      labels,
      split: split === 'unassigned' && conflict ? 'conflict' : split,
      conflict,
    })
  }
  return candidates
}
