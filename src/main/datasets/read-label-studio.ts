// Label Studio JSON: an array of tasks, each `{ data: { text, image, external_id?, split? },
// annotations: [{ result: [{ from_name, type: 'choices', value: { choices: [label] } }] }] }`.
// The choices named `sentiment` (also `overall`, `label`) are the overall label, `text_sentiment`
// and `image_sentiment` the per-modality ones (what src/main/exports/label-studio.ts writes).
// Images are paths relative to the JSON file's folder (Label Studio's local-files URLs
// `/data/local-files/?d=<path>` are read the same way); they must lie inside that folder.
// No overall label is derived from text and image here: Label Studio names the overall field
// itself, so its absence means nobody labeled it. Predictions are not labels and are skipped.
// The file is decoded and parsed a task at a time, giving the shell's event loop turns (json-array.ts).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Modality, Sentiment } from '#shared/vocabulary'
import type { Candidate, Origin } from './candidate'
import type { CandidateLabel } from '#main/db/import-writer'
import { mergeTextImage, parseSentiment, sentimentList } from './label-rules'
import type { ProblemLog } from './problems'
import { parseSplit, splitList } from './split-values'
import { decodeTextInTurns, encodingWarning, normalisePostText } from './text-decoding'
import { jsonArrayElements, JsonArrayError, type JsonElement } from './json-array'
import { forEachInTurns, loopTurns } from '#main/core/loop-turns'
import { resolveImageRef } from './image-ref'

/** `from_name` of a choices result → the modality it labels. */
export const LABEL_STUDIO_FIELDS: Readonly<Record<string, Modality>> = {
  sentiment: 'overall',
  overall: 'overall',
  label: 'overall',
  text_sentiment: 'text',
  image_sentiment: 'image',
}

const LOCAL_FILES = '/data/local-files/'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The image reference as a path relative to the JSON file's folder, or why it cannot be one. */
function imagePathOf(ref: string): { rel: string } | { problem: string } {
  if (ref.startsWith(LOCAL_FILES)) {
    const d = new URL(ref, 'http://x').searchParams.get('d')
    return d ? { rel: d } : { problem: `Image "${ref}" has no ?d= path` }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith('/data/upload/')) {
    return { problem: `Image "${ref}" is a URL; export the tasks with image paths relative to the JSON file` }
  }
  return { rel: ref }
}

export async function readLabelStudio(file: string, log: ProblemLog): Promise<Candidate[]> {
  const bytes = await readFile(file)
  const turn = loopTurns()
  const decoded = await decodeTextInTurns(bytes, turn)
  const warning = encodingWarning(decoded, bytes)
  if (warning) log.warn(warning.code, { file, ...(warning.lines.length > 0 ? { line: warning.lines[0] } : {}) }, warning.message)
  let tasks: JsonElement[]
  try {
    tasks = await jsonArrayElements(decoded.parts, turn)
  } catch (err) {
    if (!(err instanceof JsonArrayError)) throw err
    const at = { file, ...(err.line === undefined ? {} : { line: err.line }) }
    log.error('bad-file', at, err.kind === 'not-array' ? 'Expected a JSON array of Label Studio tasks' : `Not valid JSON: ${err.message}`)
    return []
  }
  const root = path.dirname(file)
  const annotator = `import:${path.basename(file)}`
  const candidates: Candidate[] = []
  await forEachInTurns(tasks, ({ value, line }, i) => {
    const candidate = readTask(value, i + 1, { file, line }, root, annotator, log)
    if (candidate) candidates.push(candidate)
  })
  return candidates
}

function readTask(task: unknown, n: number, at: Origin, root: string, annotator: string, log: ProblemLog): Candidate | null {
  const data = isObject(task) ? task.data : undefined
  if (!isObject(task) || !isObject(data)) {
    log.error('bad-row', at, `Task ${n}: expected an object with a "data" object`)
    return null
  }
  const rawId = data.external_id ?? data.id ?? task.id
  const id = rawId === undefined || rawId === null ? '' : String(rawId).trim()
  if (id === '') {
    log.error('bad-row', at, `Task ${n}: no id (data.external_id, data.id or the task's id)`)
    return null
  }
  if (typeof data.text !== 'string') {
    log.error('missing-text', at, `Task ${n}: data.text is missing or not text`, id)
    return null
  }
  if (typeof data.image !== 'string' || data.image.trim() === '') {
    log.error('missing-image', at, `Task ${n}: data.image is missing`, id)
    return null
  }
  const image = imagePathOf(data.image.trim())
  if ('problem' in image) {
    log.error('missing-image', at, `Task ${n}: ${image.problem}`, id)
    return null
  }
  const resolved = resolveImageRef(root, image.rel, data.image_root)
  if ('problem' in resolved) {
    log.error('path-outside-dataset', at, `Task ${n}: ${resolved.problem}`, id)
    return null
  }
  const labels = readAnnotations(task.annotations, n, at, id, annotator, log)
  if (labels === null) return null
  let split = parseSplit(data.split)
  if (split === null) {
    log.warn('unknown-split', at, `Task ${n}: unknown split "${String(data.split)}" (expected one of ${splitList()}); left unassigned`, id)
    split = 'unassigned'
  }
  const latest = (m: Modality): Sentiment | undefined => labels.findLast((l) => l.modality === m)?.label
  const text = latest('text')
  const img = latest('image')
  const conflict = text && img ? mergeTextImage(text, img).conflict : false
  return {
    externalId: id,
    origin: at,
    text: normalisePostText(data.text),
    ...resolved,
    labels,
    split: split === 'unassigned' && conflict ? 'conflict' : split,
    conflict,
  }
}

/**
 * Who made an annotation: Label Studio's `completed_by`, as its email where the export gives the
 * user (an object with one, or the email itself), as `label-studio:<id>` where it gives the user's
 * id; the file's own name for the import when it names nobody. Each annotator of a task keeps their
 * labels, so a project labeled by a team in Label Studio arrives with its agreement to compare.
 */
function annotatorOf(annotation: Record<string, unknown>, fallback: string): string {
  const by = annotation.completed_by
  if (isObject(by) && typeof by.email === 'string' && by.email.trim() !== '') return by.email.trim()
  const id = isObject(by) ? by.id : by
  if (typeof id === 'number' && Number.isFinite(id)) return `label-studio:${id}`
  if (typeof id !== 'string' || id.trim() === '') return fallback
  return /^\d+$/.test(id.trim()) ? `label-studio:${id.trim()}` : id.trim()
}

/** The labels of every annotation not cancelled, in order (the last one per modality stands); null when one is unreadable. */
function readAnnotations(raw: unknown, n: number, at: Origin, id: string, annotator: string, log: ProblemLog): CandidateLabel[] | null {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) {
    log.error('bad-row', at, `Task ${n}: "annotations" is not a list`, id)
    return null
  }
  const labels: CandidateLabel[] = []
  for (const annotation of raw) {
    if (!isObject(annotation) || annotation.was_cancelled === true) continue
    const by = annotatorOf(annotation, annotator)
    const results = Array.isArray(annotation.result) ? annotation.result : []
    for (const r of results) {
      if (!isObject(r) || r.type !== 'choices' || typeof r.from_name !== 'string') continue
      const modality = LABEL_STUDIO_FIELDS[r.from_name]
      const choices = isObject(r.value) && Array.isArray(r.value.choices) ? r.value.choices : []
      if (!modality || choices.length === 0) continue
      const label = parseSentiment(choices[0])
      if (!label) {
        log.error('unknown-label', at, `Task ${n}: unknown ${modality} label "${String(choices[0])}" (expected one of ${sentimentList()})`, id)
        return null
      }
      labels.push({ modality, label, annotator: by })
    }
  }
  return labels
}
