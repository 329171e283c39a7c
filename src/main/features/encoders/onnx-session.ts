// The one way this process opens onnxruntime sessions. onnxruntime-node (like TensorFlow.js) crashes
// when several worker_threads load it (onnxruntime #24486), so it is refused outside the main thread:
// feature extraction runs in its own child process instead, which owns ORT alone.
import { isMainThread } from 'node:worker_threads'
import * as ort from 'onnxruntime-node'

/**
 * Two intra-op threads: the machines this targets have two cores. Without spinning: idle pool
 * threads that spin steal the core the UI, sharp or the database needs (measured under load: 33–37
 * images/s without spinning against 24–25 with it).
 */
const OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
}

export async function openSession(model: string | Uint8Array): Promise<ort.InferenceSession> {
  if (!isMainThread) throw new Error('onnxruntime must run on the main thread of its own process, never in a worker thread')
  return ort.InferenceSession.create(model as Uint8Array, OPTIONS)
}

export { ort }
