// Which requests take the store's write lock before their handler runs (Backend.call, db/write-lock.ts).
//
// A handler's synchronous part runs to its first `await` without a break; a write there waited for
// another process's lock on the shell's event loop, every window standing still meanwhile. For the
// requests marked true, the lock is waited for first, off the loop, and that synchronous part runs
// inside it. The others do not wait for it: a read, a cancel or a dialog has no business queuing
// behind a trainer's writes. Writes a handler makes after an `await` wait for the lock themselves:
// a run's row once its encoder pair is resolved (runs.start, runs.resume: training-jobs.ts) off the
// loop, an import's single transaction synchronously as before; the chunked writers (review undo and
// bulk accept, prediction sets, pseudo-labels) wait for it off the loop chunk by chunk.
//
// Every method of the contract outside the read thread's is named here: a new one does not compile
// until someone says whether it writes at once.
import type { Method } from '#shared/contract'
import type { ReadMethod } from './reads'

export const LOCK_FIRST: { readonly [M in Exclude<Method, ReadMethod>]: boolean } = {
  'app.info': false,
  'projects.list': false,
  'projects.create': true,
  'projects.update': true,
  // On a thread of its own, which takes the lock (app/write-thread): holding it here would keep it from it.
  'projects.delete': false,
  'projects.folders': false,
  'imports.detect': false,
  'imports.start': false,
  'imports.cancel': false,
  'system.pickPath': false,
  'system.listDir': false,
  'system.makeDir': false,
  'labels.post': false,
  'labels.set': true,
  'labels.undo': true,
  'labels.redo': true,
  'labels.undoState': false,
  'labels.setTarget': true,
  'labels.suggest': false,
  'features.encoders': false,
  'features.status': false,
  'features.extract': false,
  'features.cancel': false,
  'features.probe': false,
  'runs.presets': false,
  'runs.plan': false,
  'runs.start': false,
  // A cancel answers at once; the rare run it marks failed (its process gone) writes as before.
  'runs.cancel': false,
  'runs.resume': false,
  'runs.list': false,
  'runs.get': false,
  // On a thread of its own, as projects.delete.
  'runs.delete': false,
  // The first chunk of each is written before the first await.
  'review.decide': true,
  'review.undo': true,
  'review.bulkAccept': true,
  'labelCheck.start': true,
  'labelCheck.cancel': false,
  'labelCheck.list': false,
  'labelCheck.queue': false,
  'labelCheck.decide': true,
  'labelCheck.undo': true,
  'exports.labels': false,
  'exports.model': false,
  'exports.predictions': false,
  'predict.run': false,
  'predict.cancel': false,
}

export const takesLockFirst = (method: Method): boolean => (LOCK_FIRST as Partial<Record<Method, boolean>>)[method] === true
