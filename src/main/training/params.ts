// A model's parameters by name, initialised from the trainer's seeded generator the way PyTorch
// initialises nn.Linear and bias-free Conv1d(k=1): U(−1/√fan_in, 1/√fan_in) for weights and biases.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from './rng'

export interface ParamSpec {
  name: string
  /** [in, out] for weights (x·w), [out] for biases, [] for scalars. */
  shape: number[]
  fanIn: number
  /** A constant start value instead of the uniform draw (SCDR's attention sigma starts at 1). */
  init?: number
  /** false: never updated (SCDR's faithful modal selector, which receives no gradient). */
  trainable: boolean
  /** Weight decay applies (§1.6: every parameter but biases). */
  decay: boolean
}

/** Tensors by parameter name: live variables, an EMA shadow, or a saved snapshot. */
export type Weights = ReadonlyMap<string, tf.Tensor>

export type NamedArrays = Record<string, Float32Array>

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1)

/** A copy: the cpu backend's dataSync hands out the tensor's own buffer. */
export const copy = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync() as Float32Array)

export function weight(name: string, fanIn: number, fanOut: number, options: { trainable?: boolean; decay?: boolean } = {}): ParamSpec {
  return { name, shape: [fanIn, fanOut], fanIn, trainable: options.trainable ?? true, decay: options.decay ?? true }
}

export function bias(name: string, fanIn: number, size: number, options: { trainable?: boolean } = {}): ParamSpec {
  return { name, shape: [size], fanIn, trainable: options.trainable ?? true, decay: false }
}

export class Params {
  readonly variables: Map<string, tf.Variable>

  constructor(
    readonly specs: readonly ParamSpec[],
    values: NamedArrays,
  ) {
    this.variables = new Map(specs.map((s) => [s.name, tf.variable(tf.tensor(values[s.name]!, s.shape), s.trainable, s.name + '_' + uniqueSuffix())]))
  }

  static initial(specs: readonly ParamSpec[], rng: Rng): Params {
    const values: NamedArrays = {}
    for (const s of specs) {
      const bound = 1 / Math.sqrt(s.fanIn)
      values[s.name] = s.init !== undefined ? new Float32Array(size(s.shape)).fill(s.init) : Float32Array.from({ length: size(s.shape) }, () => rng.uniform(-bound, bound))
    }
    return new Params(specs, values)
  }

  get weights(): Weights {
    return this.variables
  }

  trainable(): ParamSpec[] {
    return this.specs.filter((s) => s.trainable)
  }

  arrays(): NamedArrays {
    return Object.fromEntries([...this.variables].map(([name, v]) => [name, copy(v)]))
  }

  assign(values: NamedArrays): void {
    tf.tidy(() => {
      for (const s of this.specs) this.variables.get(s.name)!.assign(tf.tensor(values[s.name]!, s.shape))
    })
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose()
  }
}

/** Variable names are global in a tfjs engine; two models alive at once must not collide. */
let counter = 0
const uniqueSuffix = (): string => String(counter++)

/** Tensors (kept out of tidy scopes) from named arrays, e.g. the best snapshot for evaluation. */
export function weightsFrom(specs: readonly ParamSpec[], values: NamedArrays): Map<string, tf.Tensor> {
  return new Map(specs.map((s) => [s.name, tf.keep(tf.tensor(values[s.name]!, s.shape))]))
}

export function disposeWeights(weights: Weights): void {
  for (const t of weights.values()) t.dispose()
}
