// Which encoder pairs a request may name, and the verdict on an ONNX folder, from the registry.
// The registry is imported on first use. Checking a folder loads its models: only the feature
// worker calls `checkOnnxFolder` (see FeatureTasks.checkFolder).
import path from 'node:path'
import type { BuiltInPairChoice, OnnxFolderCheck } from '#shared/features'

import { CURRENT_DEFAULT, canonicalPairId } from './built-in-pairs'

/** The pair a request that names none gets (versioned: runs store it). */
export const DEFAULT_ENCODER = CURRENT_DEFAULT
const ONNX_PREFIX = 'onnx:'

const registry = () => import('./registry')

export async function builtInPairs(): Promise<BuiltInPairChoice[]> {
  return (await registry()).listBuiltInPairs().map(({ id, description }) => ({ id, description }))
}

/**
 * The canonical pair id for what a person or a script typed: a built-in id ('default' becomes the
 * versioned pair it stands for today), or `onnx:` and an
 * absolute folder. Throws with a message that says what is accepted.
 */
export async function parseEncoderId(raw: string | undefined): Promise<string> {
  const id = canonicalPairId(raw?.trim() || DEFAULT_ENCODER)
  if (id.startsWith(ONNX_PREFIX)) {
    const folder = id.slice(ONNX_PREFIX.length)
    if (!path.isAbsolute(folder)) throw new Error(`an ONNX pair is named ${ONNX_PREFIX}<absolute folder>, not ${id}`)
    return `${ONNX_PREFIX}${path.resolve(folder)}`
  }
  const ids = (await builtInPairs()).map((p) => p.id)
  if (!ids.includes(id)) throw new Error(`unknown encoder pair "${id}": expected ${ids.join(', ')}, default or ${ONNX_PREFIX}<absolute folder>`)
  return id
}

export async function checkOnnxFolder(folder: string): Promise<OnnxFolderCheck> {
  const absolute = path.resolve(folder)
  try {
    const check = await (await registry()).validateOnnxFolder(absolute)
    return { path: absolute, ok: check.ok, problems: check.problems, encoder: check.ok ? `${ONNX_PREFIX}${absolute}` : null }
  } catch (err) {
    return { path: absolute, ok: false, problems: [err instanceof Error ? err.message : String(err)], encoder: null }
  }
}
