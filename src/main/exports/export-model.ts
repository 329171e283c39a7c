// A run's model in two forms: the TensorFlow.js folder as the trainer saved it under
// `<db>.media/project-<id>/runs/<runId>/model/` (model.json + weights.bin + preprocessing.json), and
// model.onnx — standardisation, the run's head(s), logit adjustment, temperature and softmax in one
// graph on raw features (training/onnx/head-graph.ts) — with common-ground.json saying what both
// expect: the encoder pair and its encoders' ids (with versions), the class order, the calibration.
// Everything is written in a temporary folder beside the target and renamed, so the target is
// whole or absent.
import { cp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ExportModelResult } from '#shared/exports'
import type { ExportRun } from '#main/db/export-repo'
import { AppError } from '#main/core/errors'
import { NO_CALIBRATION, type Calibration } from '#main/training/onnx/head-graph'
import { MODEL_METADATA, ONNX_FILE } from '#main/training/onnx/model-metadata'
import { modelOfRun } from '#main/training/onnx/predict-posts'
import { MODEL_FOLDER } from '#main/training/worker/run-files'

export { MODEL_METADATA }

export const modelFolderOf = (runDir: string): string => path.join(runDir, MODEL_FOLDER)

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

/** Copies the run's model folder `source` to `target`, which must not exist or be empty. */
export async function exportModel(run: ExportRun, source: string, target: string, options: { appVersion: string; calibration?: Calibration }): Promise<ExportModelResult> {
  const temp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`
  try {
    const runInfo = { id: run.id, method: run.method, preset: run.preset, finishedAt: run.finishedAt }
    let built: ReturnType<typeof modelOfRun>
    try {
      built = modelOfRun(source, runInfo, options.appVersion, options.calibration ?? NO_CALIBRATION)
    } catch (err) {
      throw new AppError('conflict', `Run ${run.id}'s model cannot be exported: ${(err as Error).message}`)
    }
    const { graph, metadata } = built
    await cp(source, temp, { recursive: true, errorOnExist: true })
    await writeFile(path.join(temp, ONNX_FILE), graph as Uint8Array)
    await writeFile(path.join(temp, MODEL_METADATA), JSON.stringify(metadata, null, 2) + '\n')
    await rmdir(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { recursive: true, force: true })
    throw err
  }
  return { path: target, files: await filesUnder(target) }
}
