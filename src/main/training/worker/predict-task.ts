// `predict` in the trainer process: the model named by the shell (a finished run's folder, or an
// exported one) applied to the project's posts through the ONNX head session, the set stored on this
// process's own connection (predict-posts.ts).
import type { Database } from 'better-sqlite3'
import { PredictionsRepo } from '#main/db/predictions-repo'
import { modelOfFolder, modelOfRun, predictPosts, type PredictModel, type PredictOutcome } from '../onnx/predict-posts'
import type { PredictModelRef, PredictTask } from './trainer-protocol'

function modelOf(ref: PredictModelRef): PredictModel {
  return ref.kind === 'run' ? modelOfRun(ref.folder, ref.run, ref.appVersion, ref.calibration) : modelOfFolder(ref.folder)
}

export async function predictTask(db: Database, task: PredictTask): Promise<PredictOutcome> {
  return await predictPosts(db, new PredictionsRepo(db), { projectId: task.projectId, model: modelOf(task.model), runId: task.runId, modelPath: task.modelPath })
}
