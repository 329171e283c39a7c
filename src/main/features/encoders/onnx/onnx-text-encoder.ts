// A text encoder from a user's ONNX model and its tokenizer.json. Texts are tokenized (special
// tokens added, cut at maxLength) and run in groups of equal length, so no padding enters a
// dynamic-length model and a text's vector does not depend on its neighbours; a model with a fixed
// sequence length gets every text padded to it, with the attention mask saying which tokens are real.
import type { InferenceSession } from 'onnxruntime-node'
import type { EncoderInfo, TextEncoder } from '#main/features/encoder'
import type { Encoded, Tokenizer } from '#main/features/tokenizers/tokenizer'
import { ort } from '../onnx-session'
import type { TextSection } from './manifest'
import { fixedAxis, inputMeta } from './model-inputs'
import { pool } from './pooling'

const BATCH = 16

function intTensor(type: 'int64' | 'int32', values: number[], dims: number[]): ort.Tensor {
  return type === 'int64'
    ? new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims)
    : new ort.Tensor('int32', Int32Array.from(values), dims)
}

export function createOnnxTextEncoder(session: InferenceSession, tokenizer: Tokenizer, s: TextSection, info: Omit<EncoderInfo, 'modality'>): TextEncoder {
  const idsMeta = inputMeta(session, s.inputs.ids)
  const fixedLength = fixedAxis(idsMeta, 1)
  const batchSize = fixedAxis(idsMeta, 0) ?? BATCH
  const typeOf = (name: string): 'int64' | 'int32' => (inputMeta(session, name)?.type === 'int32' ? 'int32' : 'int64')

  async function run(batch: readonly Encoded[]): Promise<Float32Array[]> {
    const lengths = batch.map((e) => e.ids.length)
    const width = fixedLength ?? Math.max(...lengths)
    const padded = (row: (e: Encoded, t: number) => number): number[] =>
      batch.flatMap((e) => Array.from({ length: width }, (_, t) => row(e, t)))
    const dims = [batch.length, width]
    const feeds: Record<string, ort.Tensor> = {
      [s.inputs.ids]: intTensor(typeOf(s.inputs.ids), padded((e, t) => e.ids[t] ?? tokenizer.padId), dims),
    }
    if (s.inputs.mask) feeds[s.inputs.mask] = intTensor(typeOf(s.inputs.mask), padded((e, t) => (t < e.ids.length ? 1 : 0)), dims)
    if (s.inputs.typeIds) feeds[s.inputs.typeIds] = intTensor(typeOf(s.inputs.typeIds), padded((e, t) => e.typeIds[t] ?? 0), dims)
    const out = (await session.run(feeds, [s.output]))[s.output]!
    return pool({ dims: out.dims, data: out.data as Float32Array }, s.pooling, lengths)
  }

  return {
    info: { ...info, modality: 'text' },
    async encode(texts) {
      const encoded = texts.map((t) => tokenizer.encode(t, s.maxLength))
      const vectors = new Array<Float32Array>(texts.length)
      // Texts of one length together (all together when the model pads to a fixed length).
      const groups = new Map<number, number[]>()
      encoded.forEach((e, i) => {
        const key = fixedLength ?? e.ids.length
        const group = groups.get(key)
        if (group) group.push(i)
        else groups.set(key, [i])
      })
      for (const indices of groups.values()) {
        for (let start = 0; start < indices.length; start += batchSize) {
          const chunk = indices.slice(start, start + batchSize)
          const pooled = await run(chunk.map((i) => encoded[i]!))
          chunk.forEach((i, k) => (vectors[i] = pooled[k]!))
        }
      }
      return vectors
    },
    dispose: () => session.release(),
  }
}
