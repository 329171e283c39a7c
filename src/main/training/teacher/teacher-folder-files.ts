// The files of an ONNX text sentiment teacher's folder (ALGORITHMS §3: "an ONNX text sentiment
// model the user points to", e.g. cardiffnlp/twitter-roberta-base-sentiment-latest exported by
// optimum): model.onnx, tokenizer.json, and the class order in labels.json ({"labels": [...]}, or a
// plain list) or, as an optimum export has it, config.json's id2label. Each class must name
// negative, neutral or positive (or neg / neu / pos, any case); a model may leave a class out.
// Checked without loading the model, so a run's plan can say what is wrong before it starts. Every
// problem names the folder and the file at fault.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'

export const TEACHER_MODEL_FILE = 'model.onnx'
export const TEACHER_TOKENIZER_FILE = 'tokenizer.json'
export const TEACHER_LABELS_FILE = 'labels.json'
const HF_CONFIG_FILE = 'config.json'
/** Tokens per text when labels.json sets no maxLength (TimeLMs' tweets fit well inside). */
export const TEACHER_MAX_LENGTH = 128

const ALIASES: Record<string, Sentiment> = { negative: 'negative', neg: 'negative', neutral: 'neutral', neu: 'neutral', positive: 'positive', pos: 'positive' }

export class TeacherFolderError extends Error {}

export function refuseFolder(folder: string, problem: string): never {
  throw new TeacherFolderError(`ONNX teacher ${folder}: ${problem}`)
}

/** Output index → sentiment from class names; the first name that does not map, or a repeat, is an error. */
export function mapTeacherLabels(names: unknown[], file: string, folder: string): Sentiment[] {
  if (names.length < 2) refuseFolder(folder, `${file} names ${names.length} class${names.length === 1 ? '' : 'es'}; a sentiment model has 2 or 3 (negative, neutral, positive)`)
  const labels = names.map((name, i) => {
    const sentiment = typeof name === 'string' ? ALIASES[name.trim().toLowerCase()] : undefined
    if (!sentiment) refuseFolder(folder, `${file}: class ${i} ${JSON.stringify(name)} does not map to ${SENTIMENTS.join(', ')}`)
    return sentiment!
  })
  const repeated = labels.find((l, i) => labels.indexOf(l) !== i)
  if (repeated) refuseFolder(folder, `${file}: ${repeated} is named by two classes`)
  return labels
}

async function readJson(folder: string, file: string): Promise<unknown> {
  const text = await readFile(path.join(folder, file), 'utf8').catch(() => null)
  if (text === null) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    return refuseFolder(folder, `${file} is not valid JSON (${(error as Error).message})`)
  }
}

/** The class names and settings from labels.json, else config.json's id2label. */
async function classNames(folder: string): Promise<{ names: unknown[]; file: string; maxLength: number; probabilities: boolean }> {
  const labels = await readJson(folder, TEACHER_LABELS_FILE)
  if (labels !== undefined) {
    const spec = Array.isArray(labels) ? { labels } : (labels as Record<string, unknown>)
    if (!spec || !Array.isArray(spec.labels)) refuseFolder(folder, `${TEACHER_LABELS_FILE} must be a list of class names in output order, or {"labels": [...]}`)
    const maxLength = spec.maxLength ?? TEACHER_MAX_LENGTH
    if (!Number.isInteger(maxLength) || (maxLength as number) < 2) refuseFolder(folder, `${TEACHER_LABELS_FILE}: maxLength must be a whole number ≥ 2`)
    if (spec.output !== undefined && spec.output !== 'logits' && spec.output !== 'probabilities') refuseFolder(folder, `${TEACHER_LABELS_FILE}: output must be "logits" or "probabilities"`)
    return { names: spec.labels as unknown[], file: TEACHER_LABELS_FILE, maxLength: maxLength as number, probabilities: spec.output === 'probabilities' }
  }
  const config = (await readJson(folder, HF_CONFIG_FILE)) as { id2label?: Record<string, unknown> } | undefined
  if (config?.id2label && typeof config.id2label === 'object') {
    const entries = Object.entries(config.id2label)
    const names = entries.map((_, i) => config.id2label![String(i)])
    if (names.some((n) => n === undefined)) refuseFolder(folder, `${HF_CONFIG_FILE}: id2label must number its classes 0..${entries.length - 1}`)
    return { names, file: `${HF_CONFIG_FILE} (id2label)`, maxLength: TEACHER_MAX_LENGTH, probabilities: false }
  }
  return refuseFolder(folder, `${TEACHER_LABELS_FILE} is missing (or ${HF_CONFIG_FILE} with id2label): it names the model's classes in output order, e.g. ["negative", "neutral", "positive"]`)
}

/** The folder's files and class names, checked without loading the model: what a run's plan can say before it starts. */
export async function checkTeacherFiles(folder: string): Promise<{ modelFile: string; labels: Sentiment[]; maxLength: number; probabilities: boolean }> {
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory()) refuseFolder(folder, 'no such folder')
  const modelFile = path.join(folder, TEACHER_MODEL_FILE)
  const needs = `the folder needs ${TEACHER_MODEL_FILE}, ${TEACHER_TOKENIZER_FILE} and ${TEACHER_LABELS_FILE}`
  if (!(await stat(modelFile).catch(() => null))?.isFile()) refuseFolder(folder, `${TEACHER_MODEL_FILE} is missing (${needs})`)
  if (!(await stat(path.join(folder, TEACHER_TOKENIZER_FILE)).catch(() => null))?.isFile()) refuseFolder(folder, `${TEACHER_TOKENIZER_FILE} is missing (${needs})`)
  const names = await classNames(folder)
  return { modelFile, labels: mapTeacherLabels(names.names, names.file, folder), maxLength: names.maxLength, probabilities: names.probabilities }
}

/** What is wrong with the folder as far as its files and labels go (the model itself is checked when the run opens it), or null. */
export async function teacherFolderProblem(folder: string): Promise<string | null> {
  try {
    await checkTeacherFiles(folder)
    return null
  } catch (error) {
    if (error instanceof TeacherFolderError) return error.message
    throw error
  }
}

