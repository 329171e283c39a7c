// An ONNX text sentiment teacher opened from its folder (teacher-folder-files.ts checks the files):
// the tokenizer, the model's session with its inputs checked, and the model file's hash.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import type { Sentiment } from '#shared/vocabulary'
import { openSession } from '#main/features/encoders/onnx-session'
import { loadTokenizer, type Tokenizer } from '#main/features/tokenizers/tokenizer'
import { checkTeacherFiles, refuseFolder, TEACHER_MODEL_FILE, TEACHER_TOKENIZER_FILE } from './teacher-folder-files'

export { TEACHER_MODEL_FILE, TeacherFolderError, teacherFolderProblem } from './teacher-folder-files'

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

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Opens and checks the folder; the caller releases `session`. */
export async function openTeacherFolder(folder: string): Promise<OnnxTeacherModel> {
  const { modelFile, labels, maxLength, probabilities } = await checkTeacherFiles(folder)
  let tokenizer: Tokenizer
  try {
    tokenizer = await loadTokenizer(path.join(folder, TEACHER_TOKENIZER_FILE))
  } catch (error) {
    return refuseFolder(folder, (error as Error).message)
  }
  let session: InferenceSession
  try {
    session = await openSession(modelFile)
  } catch (error) {
    return refuseFolder(folder, `${TEACHER_MODEL_FILE}: onnxruntime cannot load it (${(error as Error).message.split('\n')[0]})`)
  }
  const unknown = session.inputNames.filter((n) => !(INPUTS as readonly string[]).includes(n))
  const problem = !session.inputNames.includes('input_ids')
    ? `${TEACHER_MODEL_FILE} has no input "input_ids" (its inputs: ${session.inputNames.join(', ')})`
    : unknown.length > 0
      ? `${TEACHER_MODEL_FILE} asks for input${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; a text teacher feeds only ${INPUTS.join(', ')}`
      : null
  if (problem) {
    await session.release()
    refuseFolder(folder, problem)
  }
  const output = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!
  return { folder, session, tokenizer, labels, output, probabilities, maxLength, sha256: await sha256Of(modelFile) }
}
