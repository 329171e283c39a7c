// The fast dense op's custom gradient against tfjs' own gradient of the plain ops, and the
// backend choice on machines with and without the native packages (played by a fake importer).
import util from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeImportFailure, initBackend, polyfillNodeUtil, resetBackendChoice } from '#main/ml/tfjs-backend'
import { linear, matMul } from '#main/training/ops/linear'
import { Rng } from '#main/training/rng'
import { clipByGlobalNorm } from '#main/training/step'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const rng = new Rng(11)
const random = (...shape: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)), shape)

function expectClose(a: tf.Tensor, b: tf.Tensor, digits = 4): void {
  expect(a.shape).toEqual(b.shape)
  const bv = b.dataSync()
  a.dataSync().forEach((x, i) => expect(x).toBeCloseTo(bv[i]!, digits))
}

describe('linear with an explicit-transpose gradient', () => {
  let x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, r: tf.Tensor
  beforeAll(() => {
    x = random(5, 4) as tf.Tensor2D
    w = random(4, 3) as tf.Tensor2D
    b = random(3) as tf.Tensor1D
    // A weighting that makes every output element matter differently.
    r = random(5, 3)
  })

  it('matches tf.grads of matMul + bias + relu for x, w and b', () => {
    const ours = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(linear(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, { relu: true }), r)))([x, w, b])
    const plain = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(xi, wi), bi)), r)))([x, w, b])
    ours.forEach((g, i) => expectClose(g, plain[i]!))
    expectClose(linear(x, w, b, { relu: true }), tf.relu(tf.add(tf.matMul(x, w), b)))
  })

  it('matches without bias or activation (matMul), including the product of a matrix with its transpose', () => {
    const [gx, gw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), r)))([x, w])
    const [px, pw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xi, wi), r)))([x, w])
    expectClose(gx!, px!)
    expectClose(gw!, pw!)
    const gram = (v: tf.Tensor): tf.Scalar => tf.sum(tf.square(matMul(v as tf.Tensor2D, tf.transpose(v as tf.Tensor2D))))
    const gramPlain = (v: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.matMul(v, v, false, true)))
    expectClose(tf.grad(gram)(x), tf.grad(gramPlain)(x), 3)
  })

  it('returns zeros for data inputs when asked (inputGrad: false), the weight gradient unchanged', () => {
    const [gx, gw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(linear(xi as tf.Tensor2D, wi as tf.Tensor2D, undefined, { inputGrad: false }), r)))([x, w])
    expect(Array.from(gx!.dataSync()).every((v) => v === 0)).toBe(true)
    expectClose(gw!, tf.grad((wi: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, wi), r)))(w))
  })
})

describe('gradient clipping by global norm', () => {
  it('scales every gradient by maxNorm / norm when the norm is above maxNorm, and leaves them when below', () => {
    // Global norm of (3, 4) and (12): sqrt(9 + 16 + 144) = 13.
    const grads = [tf.tensor1d([3, 4]), tf.tensor1d([12])]
    const clipped = clipByGlobalNorm(grads, 6.5)
    expect(clipped.norm).toBeCloseTo(13, 5)
    expectClose(clipped.grads[0]!, tf.tensor1d([1.5, 2]))
    expectClose(clipped.grads[1]!, tf.tensor1d([6]))
    const kept = clipByGlobalNorm(grads, 20)
    expect(kept.grads).toBe(grads)
  })
})

describe('backend choice', () => {
  const notInstalled = (name: string) => Object.assign(new Error(`Cannot find package '@tensorflow/${name}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' })

  afterAll(() => resetBackendChoice())

  it('describes why a native package was passed over', () => {
    expect(describeImportFailure('tfjs-node', notInstalled('tfjs-node'))).toBe(
      `tfjs-node not installed (npm install --no-save @tensorflow/tfjs-node@${tf.version.tfjs})`,
    )
    expect(describeImportFailure('tfjs-node-gpu', new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'))).toBe(
      'tfjs-node-gpu: libcudart.so.11.0 missing (CUDA 11.2 + cuDNN 8.1 needed)',
    )
    expect(describeImportFailure('tfjs-node', new Error('libtensorflow.so.2: cannot open shared object file'))).toBe('tfjs-node: libtensorflow.so.2 missing')
    // A missing dependency of the package is not the package missing.
    expect(describeImportFailure('tfjs-node', Object.assign(new Error("Cannot find module 'node-pre-gyp'"), { code: 'MODULE_NOT_FOUND' }))).toBe("tfjs-node: Cannot find module 'node-pre-gyp'")
  })

  it('falls back to wasm with every reason on a machine without CUDA or libtensorflow', async () => {
    resetBackendChoice()
    const tried: string[] = []
    const choice = await initBackend({
      importer: async (specifier) => {
        tried.push(specifier)
        if (specifier.endsWith('-gpu')) throw new Error('libcudart.so.11.0: cannot open shared object file')
        throw notInstalled('tfjs-node')
      },
    })
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'])
    expect(choice).toEqual({
      name: 'wasm',
      reason:
        'wasm (SIMD, 1 thread); tfjs-node-gpu: libcudart.so.11.0 missing (CUDA 11.2 + cuDNN 8.1 needed); ' +
        `tfjs-node not installed (npm install --no-save @tensorflow/tfjs-node@${tf.version.tfjs})`,
    })
    expect(tf.getBackend()).toBe('wasm')
  })

  it('a package that loads without registering its backend is passed over too', async () => {
    resetBackendChoice()
    const choice = await initBackend({ importer: async () => ({}) })
    expect(choice.name).toBe('wasm')
    expect(choice.reason).toMatch(/; tfjs-node-gpu: .+; tfjs-node: /)
  })

  it('polyfills util.isNullOrUndefined where Node removed it (23+) for tfjs-node', () => {
    const u = util as unknown as Record<string, unknown>
    const original = u.isNullOrUndefined
    delete u.isNullOrUndefined
    try {
      polyfillNodeUtil()
      const f = u.isNullOrUndefined as (x: unknown) => boolean
      expect([f(null), f(undefined), f(0), f('')]).toEqual([true, true, false, false])
    } finally {
      u.isNullOrUndefined = original
    }
  })
})
