// `predict` in the trainer process: the model named by the shell (a finished run's folder, or an
// exported one) applied to the project's posts through the ONNX head session, the set stored on this
// process's own connection (predict-posts.ts).
import type { Database } from 'better-sqlite3'
import type { PredictionSetSummary } from '#shared/predictions'
import { PredictionsRepo } from '#main/db/predictions-repo'
import { modelOfFolder, modelOfRun, predictPosts, type PredictControl, type PredictModel } from '../onnx/predict-posts'
import type { PredictModelRef, PredictTask } from './trainer-protocol'

function modelOf(ref: PredictModelRef): PredictModel {
  return ref.kind === 'run' ? modelOfRun(ref.folder, ref.run, ref.appVersion, ref.calibration) : modelOfFolder(ref.folder)
}

export async function predictTask(db: Database, { projectId, model }: PredictTask, control: PredictControl): Promise<PredictionSetSummary> {
  const source = model.kind === 'run' ? { runId: model.run.id, modelPath: null } : { runId: null, modelPath: model.folder }
  return await predictPosts(db, new PredictionsRepo(db), { projectId, model: modelOf(model), ...source }, control)
}
