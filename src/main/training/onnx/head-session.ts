// Runs a head graph (head-graph.ts) through onnxruntime-node on feature matrices, a chunk of rows at
// a time: the one prediction path of the app — the end-of-run pseudo-labels, `predict` on any
// project's posts, and the bench all go through `HeadSession.run`.
import { openSession, ort } from '#main/features/encoders/onnx-session'
import { inMemory, readRows, type ViewRows } from '../view-rows'
import type { Predictions } from '../methods/method'
import { HEAD_IO } from './head-graph'

/**
 * Rows per session call. 1,024 rows of the default pair's features (7.5 MB) kept ORT's GEMMs fastest
 * on this machine's 2 cores: 100,000 posts through the fusion head in 351 ms against 469 ms at 4,096,
 * and SCDR's in 625 ms against 660 ms (docs/RESULTS.md, seventh round).
 */
export const DEFAULT_CHUNK = 1024

/** Rows start … start + count − 1 of `v`: a view in memory without copying, a stored one read into one reused buffer. */
function chunkReader(v: ViewRows, chunk: number): (start: number, count: number) => Float32Array {
  if (inMemory(v)) return (start, count) => v.data.subarray(start * v.dim, (start + count) * v.dim)
  const buffer = new Float32Array(chunk * v.dim)
  const rows = new Int32Array(chunk)
  return (start, count) => {
    for (let i = 0; i < count; i++) rows[i] = start + i
    return readRows(v, rows.subarray(0, count), buffer.subarray(0, count * v.dim))
  }
}

export interface HeadOutputs extends Predictions {
  /** Calibrated probabilities, rows × classes: softmax((logits + adjustment) / temperature). */
  probabilities: Float32Array
}

export class HeadSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly dims: { text: number; image: number },
  ) {}

  static async open(model: Uint8Array | string): Promise<HeadSession> {
    const session = await openSession(model)
    const width = (name: string): number => {
      const meta = session.inputMetadata.find((m) => m.name === name)
      const shape = meta && meta.isTensor ? meta.shape : []
      const dim = shape[1]
      if (typeof dim !== 'number') throw new Error(`the model has no input "${name}" of shape [N, d]: it is not a Common Ground head`)
      return dim
    }
    return new HeadSession(session, { text: width(HEAD_IO.text), image: width(HEAD_IO.image) })
  }

  /**
   * Every output of the graph for the rows of `text` and `image` (same row count, the model's widths);
   * rows left in the feature cache are read a chunk at a time. `afterChunk` is awaited after each
   * chunk with the rows done so far (predict reports progress there, and stops if it throws).
   */
  async run(text: ViewRows, image: ViewRows, options: { chunk?: number; afterChunk?: (rowsDone: number) => Promise<void> } = {}): Promise<HeadOutputs> {
    const chunk = options.chunk ?? DEFAULT_CHUNK
    if (text.rows !== image.rows) throw new Error(`text has ${text.rows} rows, image ${image.rows}`)
    if (text.dim !== this.dims.text || image.dim !== this.dims.image) {
      throw new Error(`the model reads text ${this.dims.text}-d and image ${this.dims.image}-d features, got ${text.dim}-d and ${image.dim}-d`)
    }
    const parts = new Map<string, (Float32Array | BigInt64Array)[]>(this.session.outputNames.map((name) => [name, []]))
    // A chunk is read (a stored view from the feature cache), then run. onnxruntime-node's run holds
    // this thread while ORT's threads compute (a timer does not fire during it), so reading the next
    // chunk meanwhile is not possible here: the pass takes the sum of the two (at 100,000 posts the
    // trainer holds the clean views in memory, and reads nothing: cached-pool.ts).
    const readers = [text, image].map((v) => chunkReader(v, chunk))
    for (let start = 0; start < text.rows; start += chunk) {
      const count = Math.min(chunk, text.rows - start)
      const [t, i] = readers.map((read) => read(start, count))
      const out = await this.session.run({ [HEAD_IO.text]: new ort.Tensor('float32', t!, [count, text.dim]), [HEAD_IO.image]: new ort.Tensor('float32', i!, [count, image.dim]) })
      for (const [name, tensor] of Object.entries(out)) parts.get(name)!.push(tensor.data as Float32Array | BigInt64Array)
      await options.afterChunk?.(start + count)
    }
    const floats = (name: string): Float32Array | undefined => {
      const list = parts.get(name) as Float32Array[] | undefined
      if (!list) return undefined
      const all = new Float32Array(list.reduce((a, p) => a + p.length, 0))
      let at = 0
      for (const p of list) {
        all.set(p, at)
        at += p.length
      }
      return all
    }
    const selected = parts.get(HEAD_IO.selected) as BigInt64Array[] | undefined
    return {
      logits: floats(HEAD_IO.logits)!,
      probabilities: floats(HEAD_IO.probabilities)!,
      text: floats(HEAD_IO.textLogits),
      image: floats(HEAD_IO.imageLogits),
      selected: selected && Int32Array.from(selected.flatMap((p) => Array.from(p, Number))),
      textOnCommon: floats(HEAD_IO.textOnCommon),
      imageOnCommon: floats(HEAD_IO.imageOnCommon),
    }
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}
