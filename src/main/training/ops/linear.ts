// Dense layers whose backward pass is written with explicit tf.transpose + plain 2-D matMul.
// tfjs-wasm runs a plain product through XNNPACK (≈20 GFLOP/s here) but any transposeA/transposeB
// or batched product through a scalar loop (≈1.5 GFLOP/s, measured: 28 ms vs 366–1,197 ms for
// 640×512×1024), and tfjs' own matMul gradient is made of exactly those transposed products.
import * as tf from '@tensorflow/tfjs'

export interface LinearOptions {
  /** y = relu(x·w + b), fused in the forward pass. */
  relu?: boolean
  /**
   * false when x is data (cached features): its gradient is never used, so the backward pass
   * returns zeros instead of paying a matMul (a customGrad must return one gradient per input).
   */
  inputGrad?: boolean
}

/** tf.customGrad's argument type (tfjs does not export its name). */
export type CustomGradientFunc = Parameters<typeof tf.customGrad>[0]

type Saved = tf.Tensor[]
type GradFunc = (dy: tf.Tensor, saved: Saved) => tf.Tensor[]
type Forward = (...args: unknown[]) => { value: tf.Tensor; gradFunc: GradFunc }

const cache = new Map<string, (...inputs: tf.Tensor[]) => tf.Tensor>()

function linearOp(hasBias: boolean, relu: boolean, inputGrad: boolean): (...inputs: tf.Tensor[]) => tf.Tensor {
  const key = `${hasBias}:${relu}:${inputGrad}`
  const known = cache.get(key)
  if (known) return known
  const forward: Forward = (...args) => {
    const x = args[0] as tf.Tensor2D
    const w = args[1] as tf.Tensor2D
    const b = hasBias ? (args[2] as tf.Tensor1D) : undefined
    const save = args[hasBias ? 3 : 2] as (tensors: tf.Tensor[]) => void
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation: relu ? 'relu' : 'linear' })
    save(relu ? [x, w, y] : [x, w])
    return {
      value: y,
      gradFunc: (dy, [sx, sw, sy]) => {
        const dz = relu ? tf.mul(dy, tf.step(sy!)) : dy
        const dx = inputGrad ? tf.matMul(dz, tf.transpose(sw!)) : tf.zerosLike(sx!)
        const dw = tf.matMul(tf.transpose(sx!), dz)
        return hasBias ? [dx, dw, tf.sum(dz, 0)] : [dx, dw]
      },
    }
  }
  const op = tf.customGrad(forward as unknown as CustomGradientFunc) as (...inputs: tf.Tensor[]) => tf.Tensor
  cache.set(key, op)
  return op
}

/** x: [n, in], w: [in, out], b: [out] → [n, out]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D, options: LinearOptions = {}): tf.Tensor2D {
  const op = linearOp(b !== undefined, options.relu ?? false, options.inputGrad ?? true)
  return (b === undefined ? op(x, w) : op(x, w, b)) as tf.Tensor2D
}

/** a·b for 2-D a, b with the same fast backward pass (a bias-free `linear`). */
export const matMul = (a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D => linear(a, b)
