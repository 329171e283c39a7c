// A run's files beside the store (`<db>.media/project-<id>/runs/<runId>/`): the checkpoint and the
// model in TensorFlow.js' format. Each is written to a temporary name and then renamed, so a
// reader (a resume, an export) only ever sees a whole file or a whole folder.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type * as tf from '@tensorflow/tfjs'
import type { CurvePoint } from '#shared/runs'
import { decodeCheckpoint, encodeCheckpoint, type TrainerCheckpoint } from '../checkpoint'
import type { CheckpointStore } from '../trainer'
import { PREPROCESSING_FILE, type Preprocessing } from '../preprocessing'

export const CHECKPOINT_FILE = 'checkpoint.bin'
export const MODEL_FOLDER = 'model'
export { PREPROCESSING_FILE, type EncoderRef, type Preprocessing } from '../preprocessing'

export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.tmp-${process.pid}`
  writeFileSync(temp, bytes)
  renameSync(temp, file)
}

/**
 * The curve points of the checkpoint in `dir`: what a resume continues from. None when there is no
 * checkpoint (a resume starts again from zero) or it does not read (a resume will say so).
 */
export function checkpointCurves(dir: string): CurvePoint[] {
  try {
    return readCheckpoint(path.join(dir, CHECKPOINT_FILE))?.curves ?? []
  } catch {
    return []
  }
}

const readCheckpoint = (file: string): TrainerCheckpoint | null => (existsSync(file) ? decodeCheckpoint(readFileSync(file)) : null)

/** Checkpoints in `dir`; `saved` hears of each one once it is on disk. */
export function checkpointFiles(dir: string, saved: (step: number, elapsedMs: number) => void): CheckpointStore {
  const file = path.join(dir, CHECKPOINT_FILE)
  return {
    save(state) {
      writeFileAtomic(file, encodeCheckpoint(state))
      saved(state.step, state.elapsedMs)
    },
    load: () => readCheckpoint(file),
  }
}

function weightBytes(data: tf.io.ModelArtifacts['weightData']): Uint8Array {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data]
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(new Uint8Array(p), at)
    at += p.byteLength
  }
  return out
}

/**
 * model.json + weights.bin (the layout tf.io's file handlers read) and preprocessing.json,
 * replacing any earlier model of the run.
 */
export function writeModel(dir: string, artifacts: tf.io.ModelArtifacts, preprocessing: Preprocessing): string {
  const target = path.join(dir, MODEL_FOLDER)
  const temp = `${target}.tmp-${process.pid}`
  rmSync(temp, { recursive: true, force: true })
  mkdirSync(temp, { recursive: true })
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  }
  writeFileSync(path.join(temp, 'weights.bin'), weightBytes(artifacts.weightData))
  writeFileSync(path.join(temp, 'model.json'), JSON.stringify(modelJson))
  writeFileSync(path.join(temp, PREPROCESSING_FILE), JSON.stringify(preprocessing))
  rmSync(target, { recursive: true, force: true })
  renameSync(temp, target)
  return target
}
