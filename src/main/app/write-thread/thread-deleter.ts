// Deleting a project or a run on a thread with its own connection (on-write-thread.ts): one
// statement whose cascades reach every post, label, feature vector and pseudo-label under it. On
// the shell's connection a 100,000-post project held the event loop 6.4 s, a run of 100,000
// pseudo-labels 0.45 s (docs/ARCHITECTURE.md "Scale").
import { ProjectsRepo } from '#main/db/projects-repo'
import { RunsRepo } from '#main/db/runs-repo'
import { startThread } from '#main/workers/thread'
import { onWriteThread, type WriteThreadConnection } from './on-write-thread'
import type { Deletion } from './protocol'

/** Deletes on a thread: true when the row was there (a run still queued or running is not deleted). */
export type Deleter = (deletion: Deletion) => Promise<boolean>

/** `start` starts the thread (tests: to stop it midway). */
export function threadDeleter(connection: WriteThreadConnection, start = startThread): Deleter {
  return (deletion) =>
    onWriteThread(
      connection,
      {
        message: { kind: 'delete', ...deletion },
        // Its thread stopped without answering: the row being gone is the deletion having committed.
        landed: (db) => ((deletion.what === 'project' ? new ProjectsRepo(db) : new RunsRepo(db)).exists(deletion.id) ? undefined : true),
      },
      start,
    )
}
