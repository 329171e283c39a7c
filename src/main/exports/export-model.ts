// A run's model as a TensorFlow.js folder (model.json + weights.bin, as the trainer saved it under
// `<db>.media/project-<id>/runs/<runId>/model/`) plus common-ground.json saying what it expects:
// the encoder pair whose features it reads and the order of its output classes. The copy is made
// in a temporary folder beside the target and renamed, so the target is whole or absent.
import { cp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ExportModelResult } from '#shared/exports'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import type { ExportRun } from '#main/db/export-repo'
import { MODEL_FOLDER } from '#main/training/worker/run-files'

export const MODEL_METADATA = 'common-ground.json'

export const modelFolderOf = (runDir: string): string => path.join(runDir, MODEL_FOLDER)

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

/** Copies the run's model folder `source` to `target`, which must not exist or be empty. */
export async function exportModel(run: ExportRun, source: string, target: string): Promise<ExportModelResult> {
  const temp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`
  try {
    await cp(source, temp, { recursive: true, errorOnExist: true })
    const metadata = {
      format: 'tfjs',
      run: { id: run.id, method: run.method, preset: run.preset, finishedAt: run.finishedAt },
      encoder: run.encoder,
      /** The model's output index i is classes[i]. */
      classes: CONFUSION_ORDER,
    }
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
