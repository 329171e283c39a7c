// Entry point of the trainer process: one task per process — a training run, or `predict` — off the
// UI's event loop. It opens its own connection to the store; a cancel aborts a run after the step in
// flight, which saves a checkpoint first, and a predict between two chunks, deleting what it wrote
// of its set (one the kill after an ignored cancel leaves half-written stays hidden, and the next
// predict of the project deletes it).
import { FEATURE_MAP_BYTES, openDatabase } from '#main/db/store'
import { TRAINER_AUTOCHECKPOINT_FRAMES } from '#main/db/checkpoint'
import { watchOtherWriters } from '#main/db/chunked-insert'
import { BACKGROUND_BUSY_TIMEOUT_MS } from '#main/db/write-lock'
import { parentChannel } from '#main/workers/parent-channel'
import type { PredictWork } from '../onnx/predict-posts'
import type { FromTrainer, ToTrainer, TrainerStart } from './trainer-protocol'

const channel = parentChannel<ToTrainer, FromTrainer>()
// Ctrl+C in a terminal reaches the whole process group; the parent decides, and sends 'cancel'
// so the run stops at a step boundary with a checkpoint instead of dying mid-step.
process.on('SIGINT', () => undefined)
const abort = new AbortController()
let started = false

async function run(message: TrainerStart): Promise<FromTrainer> {
  // Mapped: a pool left in the feature cache is read whole at least twice (scaler, end-of-run pass).
  const db = openDatabase(message.config.dbPath, {
    nativeBinding: message.config.nativeBinding,
    mapBytes: FEATURE_MAP_BYTES,
    busyTimeoutMs: BACKGROUND_BUSY_TIMEOUT_MS,
  })
  // A backstop, not SQLite's default of 1,000: the results' writes leave the WAL to the shell's checkpoint when they end (checkpoint.ts).
  db.pragma(`wal_autocheckpoint = ${TRAINER_AUTOCHECKPOINT_FRAMES}`)
  // Its results' writes leave gaps for another writer while one is active (chunked-insert.ts).
  watchOtherWriters(db)
  try {
    // Each task loads only what it runs: the trainer's modules (tfjs, the methods) take ~1.3 s to load, predict's ~0.4 s.
    if (message.task === 'predict') {
      const { predictTask } = await import('./predict-task')
      const progress = (work: PredictWork): void => channel.send({ type: 'progress', progress: work })
      return { type: 'done', result: await predictTask(db, message.config, { signal: abort.signal, progress }) }
    }
    const { trainTask } = await import('./run-training')
    return await trainTask(db, message.config, { signal: abort.signal, progress: (progress) => channel.send({ type: 'progress', progress }) })
  } finally {
    db.close()
  }
}

channel.onMessage((message) => {
  if (message.type === 'cancel') {
    abort.abort()
    return
  }
  if (started) return
  started = true
  void run(message)
    // A predict stopped between two chunks throws the abort (its set already deleted): a cancel, not a failure.
    .catch((err: unknown): FromTrainer => (message.task === 'predict' && abort.signal.aborted ? { type: 'cancelled', result: null } : { type: 'failed', error: err instanceof Error ? err.message : String(err) }))
    .then((outcome) => channel.finish(outcome))
})
