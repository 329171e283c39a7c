// SIGKILL of the browser-mode server in the middle of the read thread's checkpoint-and-WAL-start
// (read-thread.ts: a PASSIVE checkpoint on its writer connection, then, when it copied the whole
// WAL, a write of nothing that starts the WAL afresh; both one message, answered once done). The
// fault sweep kills at random moments; these kills are aimed, by watching the store's files from
// outside the server: while the checkpoint copies the WAL into the database file; once the new
// WAL's header is written (its fsync and the write of nothing in flight); once the write of
// nothing has committed. The WAL to copy is large — a feature batch the previous session committed
// and never checkpointed — so the copy takes tens of milliseconds. After each kill the store must
// open (migrations, integrity_check) with every committed write in it: that batch, and each label
// the server acknowledged. A label sent behind the first one's checkpoint is held by the shell
// until the thread answers the message, so whether it was answered tells whether the kill came
// first: asserted for the copy (tens of ms); for the last two moments (a few ms apart on a fast
// disk) it is printed, as where each kill landed is.
import { createHash } from 'node:crypto'
import { copyFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '#main/db/store'
import { LATEST_SCHEMA_VERSION } from '#main/db/migrations'
import { labelState } from './support/label-state'
import { seedProject } from './support/posts'
import { serveProcess, type ServeProcess } from './support/serve-process'
import { tempDir } from './support/temp'
import { sizeAfterCheckpoint, walCommittedSinceStart, walGeneration } from './support/wal'

const POSTS = 16
/** Floats per feature vector: POSTS posts × 4 views × 256 KiB = 16 MiB of WAL. */
const DIM = 65_536

const MOMENTS = ['copying', 'restarting', 'started'] as const
type Moment = (typeof MOMENTS)[number]

/** What the files say, seen from outside the server. */
interface FileState {
  size: number
  generation: string
  committedSinceStart: boolean
}

const fileState = (db: string): FileState => ({ size: statSync(db).size, generation: walGeneration(db), committedSinceStart: walCommittedSinceStart(db) })

/** Whether the checkpoint message has got as far as `moment`, by the files (`before`: as the server found them). */
function reached(moment: Moment, now: FileState, before: FileState): boolean {
  if (moment === 'copying') return now.size > before.size
  if (moment === 'restarting') return now.generation !== before.generation
  return now.generation !== before.generation && now.committedSinceStart
}

function digest(store: Store): string {
  const hash = createHash('sha256')
  for (const row of store.db.prepare('SELECT post_id, view, vector FROM features ORDER BY post_id, view').iterate() as Iterable<{ post_id: number; view: string; vector: Buffer }>) {
    hash.update(`${row.post_id}/${row.view}/`).update(row.vector)
  }
  return hash.digest('hex')
}

interface Session {
  db: string
  projectId: number
  postIds: number[]
  /** The features' digest as committed. */
  features: string
}

/**
 * The store as a session killed after a large write leaves it: posts in the database file, a
 * committed feature batch only in the WAL (copied while the writer was still open: closing would
 * have checkpointed it).
 */
function killedSession(): Session {
  const dir = tempDir('cg-ckpt-kill-')
  const live = path.join(dir, 'live.db')
  const store = openStore(live)
  try {
    const { projectId, postIds } = seedProject(store, POSTS, 'kill')
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    store.db.pragma('wal_autocheckpoint = 0')
    const views = ['clean', 'weak:0', 'weak:1', 'strong:0']
    store.features.write(postIds.flatMap((postId) => views.map((view, v) => ({ postId, encoder: 'kill', view, vector: Float32Array.from({ length: DIM }, (_, i) => postId + v / 4 + i / DIM) }))))
    const db = path.join(dir, 'killed.db')
    copyFileSync(live, db)
    copyFileSync(`${live}-wal`, `${db}-wal`)
    return { db, projectId, postIds, features: digest(store) }
  } finally {
    store.close()
  }
}

/** A copy of the session's store (database and WAL) with a server on it. */
async function serverOn(session: Session): Promise<{ db: string; server: ServeProcess }> {
  const db = path.join(tempDir('cg-ckpt-kill-'), 'store.db')
  copyFileSync(session.db, db)
  copyFileSync(`${session.db}-wal`, `${db}-wal`)
  return { db, server: await serveProcess(db) }
}

interface Landing {
  /** The files as the server found them, and when the kill came. */
  before: FileState
  at: FileState
  /** The label sent during the checkpoint was answered (the shell holds it until the thread answers the message), before the kill. */
  answered: boolean
  /** ms from the first label's answer to the kill. */
  ms: number
}

/** One label (its checkpoint sends the message), a second one held behind the message, and a SIGKILL once the files show `moment`. */
async function killAt(session: Session, { db, server }: { db: string; server: ServeProcess }, moment: Moment): Promise<Landing> {
  const before = fileState(db)
  const label = (i: number) => server.call('labels.set', { projectId: session.projectId, postId: session.postIds[i], modality: 'overall', label: 'negative', annotator: 'ana' })
  expect((await label(0)).ok).toBe(true)
  const t = performance.now()
  let answered = false
  const held = label(1).then(
    (reply) => void (answered = reply.ok),
    () => undefined,
  )
  let at = before
  while (!reached(moment, at, before)) {
    if (performance.now() - t > 20_000) {
      throw new Error(`the checkpoint message never reached '${moment}' (files: ${JSON.stringify(at)}, before: ${JSON.stringify(before)})`)
    }
    await new Promise((resolve) => setImmediate(resolve))
    at = fileState(db)
  }
  const ms = performance.now() - t
  await server.kill()
  // A reply that left before the kill still arrives: then the label was acknowledged, so committed.
  await held
  return { before, at, answered, ms }
}

/** Kills the server at `moment`; the store must then open intact with every committed write. */
async function killAndCheck(session: Session, target: { db: string; server: ServeProcess }, moment: Moment, full: number): Promise<void> {
  const landing = await killAt(session, target, moment)
  const started = landing.at.generation !== landing.before.generation
  console.log(
    `kill while ${moment} (${landing.ms.toFixed(1)} ms after the label): database ${landing.at.size} of ${full} bytes, WAL ${started ? `started afresh${landing.at.committedSinceStart ? ', a commit in it' : ''}` : 'not started afresh'}, held label ${landing.answered ? 'answered' : 'not answered'}`,
  )
  const store = openStore(target.db)
  try {
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(digest(store)).toBe(session.features)
    expect(labelState(store).countsAgree).toBe(true)
    const overall = store.db.prepare('SELECT label_overall FROM posts WHERE id = ?').pluck()
    expect(overall.get(session.postIds[0])).toBe('negative')
    if (landing.answered) expect(overall.get(session.postIds[1])).toBe('negative')
  } finally {
    store.close()
  }
  // Aimed where it landed: mid-copy (the database short of its full size, the WAL as it was, the message unanswered).
  if (moment === 'copying') expect([landing.at.size < full, started, landing.answered]).toEqual([true, false, false])
}

describe("SIGKILL in the middle of the read thread's checkpoint and WAL start", () => {
  it('leaves a store that opens intact with every committed write, wherever in the message it lands', { timeout: 60_000 }, async () => {
    const session = killedSession()
    const full = sizeAfterCheckpoint(session.db)
    // The servers start together (most of the test's time), then are killed one by one.
    const t0 = performance.now()
    const starts = await Promise.allSettled(MOMENTS.map(() => serverOn(session)))
    const servers = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    try {
      expect(starts.filter((s) => s.status === 'rejected')).toEqual([])
      console.log(`servers up in ${(performance.now() - t0).toFixed(0)} ms`)
      for (const [i, moment] of MOMENTS.entries()) await killAndCheck(session, servers[i]!, moment, full)
    } finally {
      await Promise.all(servers.map(({ server }) => server.kill()))
    }
  })
})
