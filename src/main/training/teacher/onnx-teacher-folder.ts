// An ONNX text sentiment model the user points to (ALGORITHMS §3: "an ONNX text sentiment model the
// user points to", e.g. cardiffnlp/twitter-roberta-base-sentiment-latest exported by optimum): a
// folder with model.onnx, tokenizer.json, and the class order in labels.json ({"labels": [...]}, or a
// plain list) or, as an optimum export has it, config.json's id2label. Each class must name
// negative, neutral or positive (or neg / neu / pos, any case); a model may leave a class out.
// Every problem names the folder and the file at fault.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'
import { openSession } from '#main/features/encoders/onnx-session'
import { loadTokenizer, type Tokenizer } from '#main/features/tokenizers/tokenizer'

export const TEACHER_MODEL_FILE = 'model.onnx'
export const TEACHER_TOKENIZER_FILE = 'tokenizer.json'
export const TEACHER_LABELS_FILE = 'labels.json'
const HF_CONFIG_FILE = 'config.json'
/** Tokens per text when labels.json sets no maxLength (TimeLMs' tweets fit well inside). */
export const TEACHER_MAX_LENGTH = 128
/** Inputs the teacher can feed; anything else the model asks for is refused by name. */
const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const

export interface OnnxTeacherModel {
  folder: string
  session: InferenceSession
  tokenizer: Tokenizer
  /** Output index → sentiment. */
  labels: Sentiment[]
  /** The output read: 'logits' when the model has one, else its only output. */
  output: string
  /** Whether that output is probabilities (labels.json "output": "probabilities") rather than logits. */
  probabilities: boolean
  maxLength: number
  /** Hex SHA-256 of model.onnx: which model labeled a run's posts. */
  sha256: string
}

const ALIASES: Record<string, Sentiment> = { negative: 'negative', neg: 'negative', neutral: 'neutral', neu: 'neutral', positive: 'positive', pos: 'positive' }

export class TeacherFolderError extends Error {}

function fail(folder: string, problem: string): never {
  throw new TeacherFolderError(`ONNX teacher ${folder}: ${problem}`)
}

/** Output index → sentiment from class names; the first name that does not map, or a repeat, is an error. */
export function mapTeacherLabels(names: unknown[], file: string, folder: string): Sentiment[] {
  if (names.length < 2) fail(folder, `${file} names ${names.length} class${names.length === 1 ? '' : 'es'}; a sentiment model has 2 or 3 (negative, neutral, positive)`)
  const labels = names.map((name, i) => {
    const sentiment = typeof name === 'string' ? ALIASES[name.trim().toLowerCase()] : undefined
    if (!sentiment) fail(folder, `${file}: class ${i} ${JSON.stringify(name)} does not map to ${SENTIMENTS.join(', ')}`)
    return sentiment!
  })
  const repeated = labels.find((l, i) => labels.indexOf(l) !== i)
  if (repeated) fail(folder, `${file}: ${repeated} is named by two classes`)
  return labels
}

async function readJson(folder: string, file: string): Promise<unknown> {
  const text = await readFile(path.join(folder, file), 'utf8').catch(() => null)
  if (text === null) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    return fail(folder, `${file} is not valid JSON (${(error as Error).message})`)
  }
}

/** The class names and settings from labels.json, else config.json's id2label. */
async function classNames(folder: string): Promise<{ names: unknown[]; file: string; maxLength: number; probabilities: boolean }> {
  const labels = await readJson(folder, TEACHER_LABELS_FILE)
  if (labels !== undefined) {
    const spec = Array.isArray(labels) ? { labels } : (labels as Record<string, unknown>)
    if (!spec || !Array.isArray(spec.labels)) fail(folder, `${TEACHER_LABELS_FILE} must be a list of class names in output order, or {"labels": [...]}`)
    const maxLength = spec.maxLength ?? TEACHER_MAX_LENGTH
    if (!Number.isInteger(maxLength) || (maxLength as number) < 2) fail(folder, `${TEACHER_LABELS_FILE}: maxLength must be a whole number ≥ 2`)
    if (spec.output !== undefined && spec.output !== 'logits' && spec.output !== 'probabilities') fail(folder, `${TEACHER_LABELS_FILE}: output must be "logits" or "probabilities"`)
    return { names: spec.labels as unknown[], file: TEACHER_LABELS_FILE, maxLength: maxLength as number, probabilities: spec.output === 'probabilities' }
  }
  const config = (await readJson(folder, HF_CONFIG_FILE)) as { id2label?: Record<string, unknown> } | undefined
  if (config?.id2label && typeof config.id2label === 'object') {
    const entries = Object.entries(config.id2label)
    const names = entries.map((_, i) => config.id2label![String(i)])
    if (names.some((n) => n === undefined)) fail(folder, `${HF_CONFIG_FILE}: id2label must number its classes 0..${entries.length - 1}`)
    return { names, file: `${HF_CONFIG_FILE} (id2label)`, maxLength: TEACHER_MAX_LENGTH, probabilities: false }
  }
  return fail(folder, `${TEACHER_LABELS_FILE} is missing (or ${HF_CONFIG_FILE} with id2label): it names the model's classes in output order, e.g. ["negative", "neutral", "positive"]`)
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Opens and checks the folder; the caller releases `session`. */
export async function openTeacherFolder(folder: string): Promise<OnnxTeacherModel> {
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory()) fail(folder, 'no such folder')
  const modelFile = path.join(folder, TEACHER_MODEL_FILE)
  if (!(await stat(modelFile).catch(() => null))?.isFile()) fail(folder, `${TEACHER_MODEL_FILE} is missing (the folder needs ${TEACHER_MODEL_FILE}, ${TEACHER_TOKENIZER_FILE} and ${TEACHER_LABELS_FILE})`)
  const names = await classNames(folder)
  const labels = mapTeacherLabels(names.names, names.file, folder)
  let tokenizer: Tokenizer
  try {
    tokenizer = await loadTokenizer(path.join(folder, TEACHER_TOKENIZER_FILE))
  } catch (error) {
    return fail(folder, (error as Error).message)
  }
  let session: InferenceSession
  try {
    session = await openSession(modelFile)
  } catch (error) {
    return fail(folder, `${TEACHER_MODEL_FILE}: onnxruntime cannot load it (${(error as Error).message.split('\n')[0]})`)
  }
  const unknown = session.inputNames.filter((n) => !(INPUTS as readonly string[]).includes(n))
  const problem = !session.inputNames.includes('input_ids')
    ? `${TEACHER_MODEL_FILE} has no input "input_ids" (its inputs: ${session.inputNames.join(', ')})`
    : unknown.length > 0
      ? `${TEACHER_MODEL_FILE} asks for input${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; a text teacher feeds only ${INPUTS.join(', ')}`
      : null
  if (problem) {
    await session.release()
    fail(folder, problem)
  }
  const output = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!
  return { folder, session, tokenizer, labels, output, probabilities: names.probabilities, maxLength: names.maxLength, sha256: await sha256Of(modelFile) }
}
