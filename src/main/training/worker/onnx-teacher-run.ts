// teacher.source 'onnx': the trainer process opens the user's model folder, reads the texts of the
// run's unlabeled and val posts and has the model label them before training starts, reporting
// progress (phase 'teacher', step = posts done) and stopping between batches when the run is stopped.
import type { Database } from 'better-sqlite3'
import { PostsRepo } from '#main/db/posts-repo'
import type { TrainingData } from '../data'
import { openTeacherFolder } from '../teacher/onnx-teacher-folder'
import { onnxTeacherLogits } from '../teacher/onnx-teacher'
import type { RunTeacherLogits } from '../teacher/teacher'
import type { TrainerProgress } from './trainer-protocol'

export async function onnxTeacherForRun(db: Database, projectId: number, folder: string, data: TrainingData, ctx: { signal: AbortSignal; progress(progress: TrainerProgress): void }): Promise<RunTeacherLogits> {
  const model = await openTeacherFolder(folder)
  try {
    const ids = [...data.unlabeled.ids, ...(data.val?.ids ?? [])]
    const posts = new PostsRepo(db).texts(projectId, ids)
    const started = Date.now()
    return await onnxTeacherLogits(model, posts, {
      signal: ctx.signal,
      onProgress: (done, total) => {
        const elapsedMs = Date.now() - started
        ctx.progress({ step: done, steps: total, epoch: 0, elapsedMs, etaMs: done > 0 ? (elapsedMs / done) * (total - done) : 0, phase: 'teacher', points: [] })
      },
    })
  } finally {
    await model.session.release()
  }
}
