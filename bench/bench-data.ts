// The features the training bench and the side-by-sides with a PyTorch reference run on.
// CG_BENCH_DB=FILE (a copy of a store whose project CG_BENCH_PROJECT, default 'mvsa', has default
// features): those cached features, 600 labels drawn per class; otherwise a synthetic problem of
// the same sizes.
import { openDatabase } from '#main/db/store'
import type { Matrix, TrainingData } from '#main/training/data'
import { loadTrainingData } from '#main/training/load-data'
import { syntheticProblem } from '#main/training/synthetic'

/** The first default pair's sizes (default-v1, features/encoders/default): hashed n-grams + VADER, MobileNetV2 + colour. */
export const DIMS = { txt: 2066, img: 1303 }

export function benchData(): { data: TrainingData<Matrix>; source: string } {
  const file = process.env.CG_BENCH_DB
  if (!file) {
    const data = syntheticProblem({ seed: 1, train: 3200, labeled: 600, val: 400, test: 400, dimTxt: DIMS.txt, dimImg: DIMS.img, noise: 0.8, disagreement: 0.2, variants: 1 })
    return { data, source: 'synthetic features' }
  }
  const db = openDatabase(file, { readonly: true })
  try {
    const name = process.env.CG_BENCH_PROJECT ?? 'mvsa'
    const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(name)
    if (!project) throw new Error(`CG_BENCH_DB=${file}: no project named ${name} (set CG_BENCH_PROJECT)`)
    const loaded = loadTrainingData(db, { projectId: project.id, encoder: 'default', labels: { mode: 'draw', n: 600, draw: 'per-class', seed: 1 } })
    if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
    return { data: loaded.data, source: `${name}'s cached default features` }
  } finally {
    db.close()
  }
}
