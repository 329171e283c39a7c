// The ONNX text teacher at work: every post's text, pre-processed as the T4SA notebook did for its
// TimeLMs teacher (ALGORITHMS §3.2: '@name' → '@user', 'http…' → 'http'), tokenized and run in
// batches of similar length (padded, with the attention mask where the model takes one; equal
// lengths only where it does not), checked for the output's shape, and turned into logits in
// CONFUSION_ORDER. Progress after each batch; the signal stops it between batches.
import { CONFUSION_ORDER } from '#shared/vocabulary'
import type { Encoded } from '#main/features/tokenizers/tokenizer'
import { ort } from '#main/features/encoders/onnx-session'
import { TEACHER_MODEL_FILE, type OnnxTeacherModel } from './onnx-teacher-folder'
import type { RunTeacherLogits } from './teacher'

export const TEACHER_BATCH = 32

/** ALGORITHMS §3.2: split on single spaces; '@x' (length > 1) → '@user', 'http…' → 'http'; re-join. */
export const preprocessTweet = (text: string): string =>
  text
    .split(' ')
    .map((t) => (t.startsWith('@') && t.length > 1 ? '@user' : t.startsWith('http') ? 'http' : t))
    .join(' ')

export class TeacherCancelled extends Error {
  constructor(readonly done: number) {
    super(`the teacher was stopped after ${done} posts`)
  }
}

export interface TeacherRunOptions {
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

function int64(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims)
}

/** Batches of row indices: by length, then cut at TEACHER_BATCH (and at every length change when nothing can be masked). */
function batchesOf(encoded: Encoded[], masked: boolean): number[][] {
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.ids.length - encoded[b]!.ids.length || a - b)
  const batches: number[][] = []
  let current: number[] = []
  for (const i of order) {
    const first = current[0]
    if (current.length === TEACHER_BATCH || (!masked && first !== undefined && encoded[first]!.ids.length !== encoded[i]!.ids.length)) {
      batches.push(current)
      current = []
    }
    current.push(i)
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** Logits in CONFUSION_ORDER per text (a class the model lacks gets −∞: probability 0). */
export async function teacherLogits(model: OnnxTeacherModel, texts: readonly string[], options: TeacherRunOptions = {}): Promise<Float32Array[]> {
  const { session, tokenizer, labels } = model
  const where = `ONNX teacher ${model.folder}: ${TEACHER_MODEL_FILE}`
  const inputs = new Set(session.inputNames)
  const encoded = texts.map((t) => tokenizer.encode(preprocessTweet(t), model.maxLength))
  const out = new Array<Float32Array>(texts.length)
  let done = 0
  for (const batch of batchesOf(encoded, inputs.has('attention_mask'))) {
    if (options.signal?.aborted) throw new TeacherCancelled(done)
    const width = Math.max(...batch.map((i) => encoded[i]!.ids.length))
    const padded = (row: (e: Encoded, t: number) => number): number[] => batch.flatMap((i) => Array.from({ length: width }, (_, t) => row(encoded[i]!, t)))
    const dims = [batch.length, width]
    const feeds: Record<string, ort.Tensor> = { input_ids: int64(padded((e, t) => e.ids[t] ?? tokenizer.padId), dims) }
    if (inputs.has('attention_mask')) feeds.attention_mask = int64(padded((e, t) => (t < e.ids.length ? 1 : 0)), dims)
    if (inputs.has('token_type_ids')) feeds.token_type_ids = int64(padded((e, t) => e.typeIds[t] ?? 0), dims)
    let result: ort.Tensor
    try {
      result = (await session.run(feeds, [model.output]))[model.output]!
    } catch (error) {
      throw new Error(`${where}: running it failed (${(error as Error).message.split('\n')[0]})`, { cause: error })
    }
    if (result.dims.length !== 2 || result.dims[0] !== batch.length || result.dims[1] !== labels.length) {
      throw new Error(`${where}: output "${model.output}" has shape [${result.dims.join(', ')}], expected [${batch.length}, ${labels.length}] (batch × the ${labels.length} classes its labels name)`)
    }
    const values = result.data as Float32Array
    batch.forEach((row, k) => {
      const z = new Float32Array(CONFUSION_ORDER.length).fill(-Infinity)
      labels.forEach((sentiment, c) => {
        const v = values[k * labels.length + c]!
        z[CONFUSION_ORDER.indexOf(sentiment)] = model.probabilities ? Math.log(v) : v
      })
      out[row] = z
    })
    done += batch.length
    options.onProgress?.(done, texts.length)
  }
  return out
}

/** The teacher's logits per post id, ready for buildTeacher (source 'onnx'): it reads text and teaches the image branch. */
export async function onnxTeacherLogits(model: OnnxTeacherModel, posts: readonly { id: number; text: string }[], options: TeacherRunOptions = {}): Promise<RunTeacherLogits> {
  const logits = await teacherLogits(
    model,
    posts.map((p) => p.text),
    options,
  )
  return {
    logits: new Map(posts.map((p, i) => [p.id, logits[i]!])),
    detail: `the ONNX text model in ${model.folder} labels the unlabeled posts' texts; its labels teach the image branch`,
    student: 'image',
    model: { folder: model.folder, sha256: model.sha256, labels: [...model.labels] },
  }
}
