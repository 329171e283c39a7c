// What an ONNX model declares about its inputs and outputs, checked against the manifest. Every
// problem names the model file and says what the model has and what the manifest expected.
import type { InferenceSession } from 'onnxruntime-node'
import type { ImageSection, TextSection } from './manifest'

export type TensorMeta = InferenceSession.ValueMetadata & { isTensor: true }

const show = (shape: ReadonlyArray<number | string>): string => `[${shape.join(', ')}]`
const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ')

export function inputMeta(session: InferenceSession, name: string): TensorMeta | undefined {
  const meta = session.inputMetadata.find((m) => m.name === name)
  return meta?.isTensor ? meta : undefined
}

/** A fixed size of axis `axis`, or undefined when the axis is symbolic. */
export const fixedAxis = (meta: TensorMeta | undefined, axis: number): number | undefined => {
  const d = meta?.shape[axis]
  return typeof d === 'number' && d > 0 ? d : undefined
}

function checkNames(session: InferenceSession, file: string, fed: Record<string, string | undefined>, output: { field: string; name: string }): string[] {
  const problems: string[] = []
  for (const [field, name] of Object.entries(fed)) {
    if (name !== undefined && !session.inputNames.includes(name)) {
      problems.push(`${file}: has no input "${name}" (${field}); its inputs are ${list(session.inputNames)}`)
    }
  }
  const declared = new Set(Object.values(fed))
  for (const name of session.inputNames) {
    if (!declared.has(name)) problems.push(`${file}: needs input "${name}", which the manifest does not feed`)
  }
  if (!session.outputNames.includes(output.name)) {
    problems.push(`${file}: has no output "${output.name}" (${output.field}); its outputs are ${list(session.outputNames)}`)
  }
  return problems
}

function checkBatchAxis(meta: TensorMeta, file: string): string[] {
  const batch = fixedAxis(meta, 0)
  return batch !== undefined && batch !== 1
    ? [`${file}: input "${meta.name}" has a fixed batch of ${batch}; export it with a dynamic batch axis (or batch 1)`]
    : []
}

export function checkImageModel(session: InferenceSession, s: ImageSection, file: string): string[] {
  const problems = checkNames(session, file, { 'image.input': s.input }, { field: 'image.output', name: s.output })
  const meta = inputMeta(session, s.input)
  if (!meta) return problems
  if (meta.type !== 'float32') problems.push(`${file}: input "${s.input}" is ${meta.type}; images are fed as float32`)
  if (meta.shape.length !== 4) return [...problems, `${file}: input "${s.input}" has shape ${show(meta.shape)}; expected [N, 3, H, W]`]
  const channels = fixedAxis(meta, 1)
  if (channels !== undefined && channels !== 3) problems.push(`${file}: input "${s.input}" has shape ${show(meta.shape)}: ${channels} channels, but images are fed as [N, 3, H, W]`)
  const [h, w] = [fixedAxis(meta, 2), fixedAxis(meta, 3)]
  if ((h !== undefined && h !== s.size[0]) || (w !== undefined && w !== s.size[1])) {
    problems.push(`${file}: input "${s.input}" takes ${h ?? 'any'}×${w ?? 'any'} images (shape ${show(meta.shape)}), but the manifest says ${s.size[0]}×${s.size[1]} (image.size)`)
  }
  return [...problems, ...checkBatchAxis(meta, file)]
}

export function checkTextModel(session: InferenceSession, s: TextSection, file: string): string[] {
  const fed = { 'text.inputs.ids': s.inputs.ids, 'text.inputs.mask': s.inputs.mask, 'text.inputs.typeIds': s.inputs.typeIds }
  const problems = checkNames(session, file, fed, { field: 'text.output', name: s.output })
  for (const name of [s.inputs.ids, s.inputs.mask, s.inputs.typeIds]) {
    const meta = name === undefined ? undefined : inputMeta(session, name)
    if (!meta) continue
    if (meta.type !== 'int64' && meta.type !== 'int32') problems.push(`${file}: input "${name}" is ${meta.type}; token inputs must be int64 or int32`)
    if (meta.shape.length !== 2) {
      problems.push(`${file}: input "${name}" has shape ${show(meta.shape)}; expected [N, L]`)
      continue
    }
    const length = fixedAxis(meta, 1)
    if (length !== undefined && length < s.maxLength) {
      problems.push(`${file}: input "${name}" takes exactly ${length} tokens (shape ${show(meta.shape)}), fewer than text.maxLength = ${s.maxLength}`)
    }
    problems.push(...checkBatchAxis(meta, file))
  }
  return problems
}
