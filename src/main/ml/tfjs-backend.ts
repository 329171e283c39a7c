// Chooses the TensorFlow.js backend a training run computes on, in the order of issue 5:
// tfjs-node-gpu (CUDA) → tfjs-node (libtensorflow on the CPU) → wasm (SIMD, 1 thread) → cpu.
// The native packages are not dependencies (their install downloads libtensorflow, from outside the
// npm registry): a user adds one by hand (README, "GPU"). So each one is tried with a dynamic import
// inside try/catch, and every refusal becomes part of the reason stored on the run
// ("tfjs-node-gpu: libcudart.so.11.0 missing …; tfjs-node not installed (npm install --no-save …)").
import { createRequire } from 'node:module'
import path from 'node:path'
import util from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu'

export interface BackendChoice {
  name: BackendName
  /** Why this one: what it is, and why every backend before it in the order was passed over. */
  reason: string
}

/** Imports an optional package; tests replace it to play a machine with or without CUDA. */
export type PackageImporter = (specifier: string) => Promise<unknown>

const NATIVE: { name: 'tfjs-node-gpu' | 'tfjs-node'; specifier: string }[] = [
  { name: 'tfjs-node-gpu', specifier: '@tensorflow/tfjs-node-gpu' },
  { name: 'tfjs-node', specifier: '@tensorflow/tfjs-node' },
]

/** tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23 removed (tfjs #8609). */
export function polyfillNodeUtil(): void {
  const u = util as unknown as Record<string, unknown>
  if (typeof u.isNullOrUndefined !== 'function') {
    u.isNullOrUndefined = (value: unknown): boolean => value === null || value === undefined
  }
}

/**
 * How to add a native package: the release of the @tensorflow/tfjs in use, since another release
 * brings its own copy of tfjs-core, where the backend would register out of this engine's sight.
 */
export function installCommand(name: string): string {
  return `npm install --no-save @tensorflow/${name}@${tf.version.tfjs}`
}

/** One short clause for the run record out of a failed import of a native backend. */
export function describeImportFailure(name: string, error: unknown): string {
  const err = error as { code?: string; message?: string }
  const message = String(err?.message ?? error)
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') {
    // A missing dependency of the package itself also lands here; only its own absence is "not installed".
    if (message.includes(`@tensorflow/${name}`) || message.includes(`'${name}'`)) return `${name} not installed (${installCommand(name)})`
  }
  const missingLib = /(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(message)
  if (missingLib) {
    const cuda = /libcud|libcublas|libcufft|libcurand|libcusolver|libcusparse/.test(missingLib[1]!)
    return `${name}: ${missingLib[1]} missing${cuda ? ' (CUDA 11.2 + cuDNN 8.1 needed)' : ''}`
  }
  return `${name}: ${message.split('\n')[0]}`
}

function wasmFolder(): string {
  // The package's node entry sits beside its .wasm binaries; a path prefix makes Emscripten read
  // them from disk (no fetch), which works the same in Electron's main or utility process.
  const require = createRequire(import.meta.url)
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep
}

/** Loads a native package; the description of what runs, or the refusal as `{ refused }`. */
async function tryNative(name: 'tfjs-node-gpu' | 'tfjs-node', specifier: string, importer: PackageImporter): Promise<{ runs: string } | { refused: string }> {
  try {
    polyfillNodeUtil()
    await importer(specifier)
    // Both packages register their backend as 'tensorflow'.
    if (!(await tf.setBackend('tensorflow'))) return { refused: `${name}: loaded, but its backend did not initialise` }
    // libtensorflow falls back to the CPU without a word when CUDA finds no device; say so.
    const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice
    const where = name === 'tfjs-node' ? 'CPU' : usingGpu === false ? 'CPU: TensorFlow sees no CUDA device' : 'CUDA'
    return { runs: `${name}: libtensorflow via ${specifier} (${where})` }
  } catch (error) {
    return { refused: describeImportFailure(name, error) }
  }
}

let chosen: Promise<BackendChoice> | null = null

/**
 * Initialises the first backend that works and returns it with the reason. Idempotent: a process
 * has one TensorFlow.js engine, so later calls return the first answer.
 */
export function initBackend(options: { importer?: PackageImporter; skipNative?: boolean } = {}): Promise<BackendChoice> {
  chosen ??= choose(options.importer ?? ((s) => import(s)), options.skipNative ?? false)
  return chosen
}

/** Forgets the cached choice; for tests that play several machines in one process. */
export function resetBackendChoice(): void {
  chosen = null
}

async function choose(importer: PackageImporter, skipNative: boolean): Promise<BackendChoice> {
  const passed: string[] = []
  for (const { name, specifier } of NATIVE) {
    if (skipNative) {
      passed.push(`${name} skipped`)
      continue
    }
    const outcome = await tryNative(name, specifier, importer)
    if ('runs' in outcome) return { name, reason: [outcome.runs, ...passed].join('; ') }
    passed.push(outcome.refused)
  }
  try {
    if (tf.getBackend() !== 'wasm') {
      setWasmPaths(wasmFolder())
      // Threads are off in Node by design (tfjs #3830) and gained 10–15% at best here.
      setThreadsCount(1)
    }
    if (await tf.setBackend('wasm')) {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
      return { name: 'wasm', reason: [`wasm (${simd ? 'SIMD' : 'no SIMD'}, 1 thread)`, ...passed].join('; ') }
    }
    passed.push('wasm: backend did not initialise')
  } catch (error) {
    passed.push(`wasm: ${(error as Error).message}`)
  }
  await tf.setBackend('cpu')
  return { name: 'cpu', reason: ['cpu (plain JavaScript, slowest)', ...passed].join('; ') }
}
