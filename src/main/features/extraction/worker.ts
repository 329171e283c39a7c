// Entry point of the feature worker process: extraction and the linear probe run here, off the
// UI's event loop, one task per process. This process alone owns the encoders' runtimes.
import type { FromWorker, ToWorker } from '../extraction-protocol'
import { parentChannel } from '#main/workers/parent-channel'
import { runTask } from './worker-tasks'

const channel = parentChannel<ToWorker, FromWorker>()
let stopRequested = false
let started = false

channel.onMessage((message) => {
  if (message.type === 'cancel') {
    stopRequested = true
    return
  }
  if (started) return
  started = true
  void runTask(message, {
    stopRequested: () => stopRequested,
    progress: (progress) => channel.send({ type: 'progress', progress }),
  }).then((outcome) => channel.finish(outcome))
})
