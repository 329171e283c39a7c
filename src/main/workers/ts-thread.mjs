// The first module of a worker thread whose code is TypeScript: registers tsx in this thread,
// then imports the entry named in workerData (see thread.ts). A plain .mjs, because a thread
// cannot be given `--import tsx` the way a forked process is.
import { register } from 'tsx/esm/api'
import { workerData } from 'node:worker_threads'

register()
await import(workerData.entryUrl)
