// Opens a user's ONNX encoder folder: reads the manifest, checks that every file it names exists,
// loads the tokenizer and both models, checks their inputs and outputs against the manifest, and
// runs one probe image and text to compare the vector length with the declared dim. Every problem
// names the file at fault; all of them are collected, not only the first.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import type { EncoderPair } from '#main/features/encoder'
import { loadTokenizer, type Tokenizer } from '#main/features/tokenizers/tokenizer'
import { openSession } from '../onnx-session'
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest'
import { checkImageModel, checkTextModel } from './model-inputs'
import { createOnnxImageEncoder } from './onnx-image-encoder'
import { createOnnxTextEncoder } from './onnx-text-encoder'

export interface FolderInspection {
  problems: string[]
  manifest?: Manifest
  /** The ready pair when there is no problem; the caller owns (and disposes) it. */
  pair?: EncoderPair
}

async function readManifest(folder: string): Promise<{ manifest?: Manifest; problems: string[] }> {
  let text: string
  try {
    text = await readFile(path.join(folder, MANIFEST_FILE), 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { problems: [`${MANIFEST_FILE}: ${missing ? `missing from ${folder}; it names the models, the tokenizer and their preprocessing (README, "ONNX encoders")` : (error as Error).message}`] }
  }
  try {
    return parseManifest(JSON.parse(text))
  } catch (error) {
    return { problems: [`${MANIFEST_FILE}: not valid JSON (${(error as Error).message})`] }
  }
}

async function missingFiles(folder: string, m: Manifest): Promise<string[]> {
  const named: Array<[string, string]> = [
    [m.image.model, 'image.model'],
    [m.text.model, 'text.model'],
    [m.text.tokenizer, 'text.tokenizer'],
  ]
  const problems: string[] = []
  for (const [file, field] of named) {
    const info = await stat(path.join(folder, file)).catch(() => null)
    if (!info?.isFile()) problems.push(`${file}: missing (named by ${field} in ${MANIFEST_FILE})`)
  }
  return problems
}

async function open(folder: string, file: string, problems: string[]): Promise<InferenceSession | undefined> {
  try {
    return await openSession(path.join(folder, file))
  } catch (error) {
    problems.push(`${file}: onnxruntime cannot load it (${(error as Error).message.split('\n')[0]})`)
    return undefined
  }
}

/**
 * What turns text into ids, beyond the files: bumped whenever the tokenizer's implementation
 * changes ids for the same tokenizer.json (v2: @huggingface/tokenizers, which splits non-ASCII
 * words as HuggingFace does), so vectors cached by the earlier one are not mixed with new ones.
 */
const TEXT_PIPELINE = 'hf-tokenizers@2'

/** A short content hash of the files and the manifest section: the encoder id changes with either. */
async function fingerprint(folder: string, files: string[], section: unknown, pipeline = ''): Promise<string> {
  const hash = createHash('sha256')
  hash.update(pipeline)
  for (const file of files) {
    for await (const chunk of createReadStream(path.join(folder, file))) hash.update(chunk as Buffer)
  }
  hash.update(JSON.stringify(section))
  return hash.digest('hex').slice(0, 12)
}

/** Runs one input through an encoder; the problem with the vector's length, if any. */
async function probe(file: string, what: 'image' | 'text', output: string, dim: number, encode: () => Promise<Float32Array[]>): Promise<string[]> {
  try {
    const [vector] = await encode()
    return vector?.length === dim ? [] : [`${file}: output "${output}" gives ${vector?.length} values per ${what}, but ${what}.dim in ${MANIFEST_FILE} is ${dim}`]
  } catch (error) {
    return [`${file}: running it failed (${(error as Error).message.split('\n')[0]})`]
  }
}

export async function inspectFolder(folder: string): Promise<FolderInspection> {
  const { manifest: m, problems } = await readManifest(folder)
  if (!m) return { problems }
  problems.push(...(await missingFiles(folder, m)))
  if (problems.length > 0) return { problems, manifest: m }

  let tokenizer: Tokenizer | undefined
  try {
    tokenizer = await loadTokenizer(path.join(folder, m.text.tokenizer))
  } catch (error) {
    problems.push((error as Error).message)
  }
  const imageSession = await open(folder, m.image.model, problems)
  const textSession = await open(folder, m.text.model, problems)
  if (imageSession) problems.push(...checkImageModel(imageSession, m.image, m.image.model))
  if (textSession) problems.push(...checkTextModel(textSession, m.text, m.text.model))
  if (problems.length > 0 || !imageSession || !textSession || !tokenizer) {
    await Promise.all([imageSession?.release(), textSession?.release()])
    return { problems, manifest: m }
  }

  const name = m.name.replace(/[^\w.-]+/g, '-')
  const pair: EncoderPair = {
    id: `onnx:${folder}`,
    image: createOnnxImageEncoder(imageSession, m.image, {
      id: `onnx-image/${name}@${await fingerprint(folder, [m.image.model], m.image)}`,
      dim: m.image.dim,
      description: `${m.name}: ${m.image.model}, output "${m.image.output}" (${m.image.pooling}), ${m.image.size.join('×')} ${m.image.resize}`,
    }),
    text: createOnnxTextEncoder(textSession, tokenizer, m.text, {
      id: `onnx-text/${name}@${await fingerprint(folder, [m.text.model, m.text.tokenizer], m.text, TEXT_PIPELINE)}`,
      dim: m.text.dim,
      description: `${m.name}: ${m.text.model} with ${m.text.tokenizer} (${tokenizer.model}), output "${m.text.output}" (${m.text.pooling}), ≤ ${m.text.maxLength} tokens`,
    }),
  }
  const grey = { data: new Uint8Array(16 * 16 * 3).fill(128), width: 16, height: 16 }
  const probeProblems = [
    ...(await probe(m.image.model, 'image', m.image.output, m.image.dim, () => pair.image.encode([grey]))),
    ...(await probe(m.text.model, 'text', m.text.output, m.text.dim, () => pair.text.encode(['a probe sentence']))),
  ]
  if (probeProblems.length > 0) {
    await Promise.all([pair.image.dispose(), pair.text.dispose()])
    return { problems: probeProblems, manifest: m }
  }
  return { problems: [], manifest: m, pair }
}
