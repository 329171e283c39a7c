// The fault sweep (issue 12): the real processes — the CLI's import, extract and train, and the
// browser-mode server answering labels and review decisions — are killed with SIGKILL at seeded
// random moments. After each kill the store must pass `PRAGMA integrity_check`, hold nothing
// half-written, keep every write it acknowledged, and, resumed (run again / `train --resume` /
// the remaining requests sent to a new server), end equal to a run never interrupted.
import { spawn } from 'node:child_process'
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import path from 'node:path'
import { openStore, type Store } from '#main/db/store'
import { seededRandom } from '#main/core/random'
import type { Sentiment } from '#shared/vocabulary'
import { CLI } from './cli'
import { jpeg } from './images'
import { onnxFolder } from './onnx-folder'
import { labelState } from './label-state'
import { seedProject } from './posts'
import { tempDir } from './temp'
import { trainingProject } from './training-project'
import { serveProcess, type ServeProcess } from './serve-process'

export const ACTIVITIES = ['import', 'extraction', 'training', 'labeling', 'review'] as const
export type Activity = (typeof ACTIVITIES)[number]

/** What one kill found. `progress`: how far the activity had got (thumbnails, vectors, run step, acknowledged requests). */
export interface KillResult {
  activity: Activity
  /** Where the kill was aimed, as a fraction of the work (see Sweep.kill). */
  at: number
  /** The process had already exited when the kill came (the point lay past its end). */
  finishedFirst: boolean
  progress: number
  integrity: string
  /** Half-written things found; empty when none. */
  partial: string[]
  /** Acknowledged writes missing after the kill. */
  lost: number
  /** After the resume, the store equals the uninterrupted run's. */
  resumedEqual: boolean
}

interface Exit {
  code: number | null
  signal: string | null
  stdout: string
}

/** Runs the CLI; with `killWhen`, polls it every 20 ms and SIGKILLs the process once it says so (unless it has exited). */
function runCli(args: string[], killWhen?: () => boolean): Promise<Exit & { killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.resume()
    const timer = killWhen && setInterval(() => {
      if (killWhen()) {
        clearInterval(timer)
        child.kill('SIGKILL')
      }
    }, 20)
    child.once('exit', (code, signal) => {
      if (timer) clearInterval(timer)
      resolve({ code, signal, stdout, killed: signal === 'SIGKILL' })
    })
  })
}

/** A count read from the store while another process writes it (read-only; 0 while the table is not there yet). */
function peek(db: string, sql: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return Number(Object.values(conn.prepare(sql).get() as object)[0] ?? 0)
    } finally {
      conn.close()
    }
  } catch {
    return 0
  }
}

/** True once `count()` reaches `target`, then after `extraMs` more (to land between two progress marks). */
function reached(count: () => number, target: number, extraMs: number): () => boolean {
  let at: number | null = null
  return () => {
    if (at === null && count() >= target) at = Date.now()
    return at !== null && Date.now() - at >= extraMs
  }
}

const withStore = <T>(db: string, read: (store: Store) => T): T => {
  const store = openStore(db)
  try {
    return read(store)
  } finally {
    store.close()
  }
}
const integrity = (store: Store): string => String(store.db.pragma('integrity_check', { simple: true }))
const all = (store: Store, sql: string, ...params: unknown[]): unknown[] => store.db.prepare(sql).all(...params)
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

// ---- import ----

const IMPORT_POSTS = 48

async function importFolder(): Promise<string> {
  const dir = tempDir('cg-fault-import-')
  for (let i = 0; i < IMPORT_POSTS; i++) {
    writeFileSync(path.join(dir, `post${i}.jpg`), await jpeg(i, 320))
    writeFileSync(path.join(dir, `post${i}.txt`), `text ${i}`)
  }
  return dir
}

const importDump = (store: Store): unknown[] => [
  all(store, 'SELECT external_id, text, image_path, image_hash, split, label_overall FROM posts ORDER BY external_id'),
  all(store, 'SELECT format FROM sources'),
]

// ---- a sweep over one activity ----

interface Sweep {
  /** A fresh store for one kill, and what the uninterrupted run leaves (computed once). */
  prepare(): Promise<{ fresh: () => string; reference: unknown; durationMs: number }>
  /**
   * Runs the activity in `db` and kills it at `fraction` (0..1) of the way: of its work where the
   * store shows progress (thumbnails, vectors, checkpointed steps), else of its duration. Returns
   * what was acknowledged and how far it got.
   */
  kill(db: string, fraction: number): Promise<{ finishedFirst: boolean; progress: number; acked: number }>
  check(db: string, acked: number): { partial: string[]; lost: number; integrity: string }
  resume(db: string, acked: number): Promise<void>
  dump(db: string): unknown
}

const importSweep = (): Sweep => {
  let folder = ''
  const args = (db: string) => ['import', folder, '--project', 'fault', '--db', db]
  return {
    async prepare() {
      folder = await importFolder()
      const template = path.join(tempDir(), 'template.db')
      withStore(template, () => undefined)
      const ref = path.join(tempDir(), 'ref.db')
      copyFileSync(template, ref)
      const started = Date.now()
      await runCli(args(ref))
      const durationMs = Date.now() - started
      return { fresh: () => copyTo(template), reference: withStore(ref, importDump), durationMs }
    },
    async kill(db, fraction) {
      // Thumbnails are stored as images are checked; the posts land in one transaction at the end.
      const thumbs = (): number => {
        try {
          return readdirSync(path.join(`${db.slice(0, -3)}.media`, 'project-1', 'thumbs')).filter((f) => f.endsWith('.jpg')).length
        } catch {
          return 0
        }
      }
      const target = Math.floor(fraction * (IMPORT_POSTS + 1))
      const exit = await runCli(args(db), reached(thumbs, target, target === IMPORT_POSTS ? Math.round(fraction * 400) : 0))
      return { finishedFirst: !exit.killed, progress: thumbs(), acked: exit.killed ? 0 : 1 }
    },
    check(db, acked) {
      return withStore(db, (store) => {
        const posts = (store.db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n
        const sources = (store.db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n
        const partial: string[] = []
        if (posts !== 0 && posts !== IMPORT_POSTS) partial.push(`${posts} of ${IMPORT_POSTS} posts`)
        if ((posts === 0) !== (sources === 0)) partial.push(`${sources} sources for ${posts} posts`)
        return { partial, lost: acked === 1 && posts !== IMPORT_POSTS ? 1 : 0, integrity: integrity(store) }
      })
    },
    async resume(db) {
      if (withStore(db, (s) => (s.db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n) === 0) await runCli(args(db))
    },
    dump: (db) => withStore(db, importDump),
  }
}

function copyTo(template: string): string {
  const db = path.join(tempDir(), 'fault.db')
  copyFileSync(template, db)
  return db
}

// ---- extraction ----

const EXTRACT_POSTS = 96

const featureDump = (store: Store): unknown[] =>
  all(store, 'SELECT p.external_id, f.encoder, f.view, f.dim, hex(f.vector) AS v FROM features f JOIN posts p ON p.id = f.post_id ORDER BY 1, 2, 3')

const extractionSweep = (): Sweep => {
  let encoder = ''
  const args = (db: string) => ['extract', '--project', 'fault', '--encoder', encoder, '--db', db]
  let perPost = 0
  return {
    async prepare() {
      encoder = `onnx:${onnxFolder()}`
      const folder = tempDir('cg-fault-extract-')
      for (let i = 0; i < EXTRACT_POSTS; i++) {
        writeFileSync(path.join(folder, `post${i}.jpg`), await jpeg(i, 96))
        writeFileSync(path.join(folder, `post${i}.txt`), `a good day ${i}`)
      }
      const template = path.join(tempDir(), 'template.db')
      await runCli(['import', folder, '--project', 'fault', '--db', template])
      const ref = copyTo(template)
      const started = Date.now()
      await runCli(args(ref))
      const durationMs = Date.now() - started
      const reference = withStore(ref, featureDump)
      perPost = reference.length / EXTRACT_POSTS
      return { fresh: () => copyTo(template), reference, durationMs }
    },
    async kill(db, fraction) {
      const vectors = (): number => peek(db, 'SELECT count(*) FROM features')
      const exit = await runCli(args(db), reached(vectors, Math.floor(fraction * perPost * EXTRACT_POSTS), Math.round(fraction * 300)))
      return { finishedFirst: !exit.killed, progress: withStore(db, (s) => featureDump(s).length), acked: 0 }
    },
    check(db) {
      return withStore(db, (store) => {
        const byPost = new Map<string, number>()
        for (const row of featureDump(store) as Array<{ external_id: string; dim: number; v: string }>) {
          byPost.set(row.external_id, (byPost.get(row.external_id) ?? 0) + 1)
        }
        const partial = [...byPost].filter(([, n]) => n !== perPost).map(([post, n]) => `post ${post}: ${n} of ${perPost} vectors`)
        const bad = all(store, 'SELECT count(*) AS n FROM features WHERE length(vector) != dim * 4') as Array<{ n: number }>
        if (bad[0]!.n > 0) partial.push(`${bad[0]!.n} vectors of the wrong length`)
        return { partial, lost: 0, integrity: integrity(store) }
      })
    },
    async resume(db) {
      await runCli(args(db))
    },
    dump: (db) => withStore(db, featureDump),
  }
}

// ---- training ----

const TRAIN_STEPS = 120
const TRAIN = ['--project', 'training', '--method', 'fixmatch', '--labels', '15', '--seed', '3', '--steps', String(TRAIN_STEPS),
  '--set', 'hidden=16', '--set', 'clsHidden=16', '--set', 'batchLabeled=8', '--set', 'batchUnlabeled=16', '--set', 'evalEvery=10', '--set', 'checkpointEvery=10']

const trainingDump = (store: Store): unknown[] => [
  all(store, 'SELECT status, step, steps FROM runs ORDER BY id DESC LIMIT 1'),
  all(store, 'SELECT p.external_id, pl.label, pl.confidence, pl.loss FROM pseudo_labels pl JOIN posts p ON p.id = pl.post_id WHERE pl.run_id = (SELECT max(id) FROM runs) ORDER BY 1'),
  all(store, 'SELECT split, accuracy, weighted_f1, macro_f1 FROM run_reports WHERE run_id = (SELECT max(id) FROM runs) ORDER BY split'),
]

const trainingSweep = (): Sweep => ({
  async prepare() {
    const template = path.join(tempDir(), 'template.db')
    withStore(template, (store) => trainingProject(store, { posts: 90 }))
    const ref = copyTo(template)
    const started = Date.now()
    await runCli(['train', ...TRAIN, '--db', ref])
    const durationMs = Date.now() - started
    return { fresh: () => copyTo(template), reference: withStore(ref, trainingDump), durationMs }
  },
  async kill(db, fraction) {
    const step = (): number => peek(db, 'SELECT max(step) FROM runs')
    const exit = await runCli(['train', ...TRAIN, '--db', db], reached(step, Math.floor(fraction * TRAIN_STEPS), Math.round(fraction * 400)))
    return { finishedFirst: !exit.killed, progress: step(), acked: 0 }
  },
  check(db) {
    return withStore(db, (store) => {
      const partial: string[] = []
      for (const run of all(store, 'SELECT id, status FROM runs') as Array<{ id: number; status: string }>) {
        const pseudo = (store.db.prepare('SELECT count(*) AS n FROM pseudo_labels WHERE run_id = ?').get(run.id) as { n: number }).n
        const reports = (store.db.prepare('SELECT count(*) AS n FROM run_reports WHERE run_id = ?').get(run.id) as { n: number }).n
        if (run.status !== 'done' && (pseudo > 0 || reports > 0)) partial.push(`run ${run.id} ${run.status} with ${pseudo} pseudo-labels, ${reports} reports`)
        if (run.status === 'done' && (pseudo === 0 || reports === 0)) partial.push(`run ${run.id} done without its results`)
      }
      return { partial, lost: 0, integrity: integrity(store) }
    })
  },
  async resume(db) {
    const run = withStore(db, (s) => s.db.prepare('SELECT id, status FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; status: string } | undefined)
    if (!run) await runCli(['train', ...TRAIN, '--db', db])
    else if (run.status !== 'done') await runCli(['train', '--resume', String(run.id), '--db', db])
  },
  dump: (db) => withStore(db, trainingDump),
})

// ---- labeling and review through the browser-mode server ----

type Op = [method: string, payload: Record<string, unknown>]

/** Sends ops[from..to) one after another; stops at the first that gets no answer. Returns how many (from the start) were acknowledged. */
async function send(server: ServeProcess, ops: Op[], from: number, to = ops.length, onAck: (acked: number) => void = () => {}): Promise<number> {
  let acked = from
  for (let i = from; i < to; i++) {
    const [method, payload] = ops[i]!
    try {
      const reply = await server.call(method, payload)
      if (!reply.ok) throw new Error(`${method} refused: ${reply.error?.message}`)
      acked = i + 1
      onAck(acked)
    } catch (err) {
      if (err instanceof Error && err.message.includes('refused')) throw err
      break
    }
  }
  return acked
}

/**
 * A request sweep: a fresh store per kill, a server on it, the ops sent while a timer kills the
 * server; the state must equal the reference's after the acknowledged ops (or one more: the one in
 * flight may have committed before its answer was lost). The resume sends the rest to a new server.
 */
function requestSweep(seed: (store: Store) => { ops: Op[] }, dump: (store: Store) => unknown): Sweep {
  let ops: Op[] = []
  const states: unknown[] = []
  let applied = 0
  return {
    async prepare() {
      const template = path.join(tempDir(), 'template.db')
      ops = withStore(template, (store) => seed(store).ops)
      // The state after each prefix of the ops, from a server that is never killed.
      const ref = copyTo(template)
      const server = await serveProcess(ref)
      states.length = 0
      states.push(withStore(ref, dump))
      for (let i = 0; i < ops.length; i++) {
        if ((await send(server, ops, i, i + 1)) !== i + 1) throw new Error(`request ${i} got no answer in the reference run`)
        states.push(withStore(ref, dump))
      }
      await server.kill()
      // How long the requests take when nothing reads the store in between: the window kills fall in.
      const timed = await serveProcess(copyTo(template))
      const started = Date.now()
      await send(timed, ops, 0)
      const durationMs = Date.now() - started
      await timed.kill()
      return { fresh: () => copyTo(template), reference: states[ops.length], durationMs }
    },
    async kill(db, fraction) {
      const server = await serveProcess(db)
      // Once `target` requests are answered, the kill lands 0–4 ms later: on the next request in flight.
      const target = Math.floor(fraction * ops.length)
      const delay = Math.round((fraction * 1000) % 5)
      const killAt = (acked: number): void => void (acked === target && setTimeout(() => void server.kill(), delay))
      killAt(0)
      const acked = await send(server, ops, 0, ops.length, killAt)
      await server.kill()
      return { finishedFirst: acked === ops.length, progress: acked, acked }
    },
    check(db, acked) {
      return withStore(db, (store) => {
        const now = dump(store)
        const partial: string[] = []
        const labels = labelState(store)
        if (!labels.countsAgree) partial.push('label_counts disagree with the posts')
        applied = same(now, states[acked]) ? acked : acked < ops.length && same(now, states[acked + 1]) ? acked + 1 : -1
        if (applied < 0) partial.push(`state matches neither ${acked} nor ${acked + 1} requests`)
        return { partial, lost: applied < 0 ? 1 : 0, integrity: integrity(store) }
      })
    },
    async resume(db) {
      if (applied < 0) return
      const server = await serveProcess(db)
      await send(server, ops, applied)
      await server.kill()
    },
    dump: (db) => withStore(db, dump),
  }
}

const SENT: Sentiment[] = ['positive', 'neutral', 'negative']

const labelingSweep = (): Sweep =>
  requestSweep(
    (store) => {
      const { projectId, postIds } = seedProject(store, 24, 'fault')
      const ops: Op[] = []
      postIds.forEach((postId, i) => {
        ops.push(['labels.set', { projectId, postId, modality: i % 4 === 3 ? 'text' : 'overall', label: SENT[i % 3], annotator: i % 2 ? 'ann' : 'bob' }])
        if (i % 6 === 5) ops.push(['labels.undo', { projectId, annotator: 'ann' }])
        if (i % 8 === 7) ops.push(['labels.set', { projectId, postId: postIds[i - 1], modality: 'overall', label: null, annotator: 'bob' }])
      })
      return { ops }
    },
    (store) => [labelState(store).labels, all(store, 'SELECT annotator, state, count(*) AS n FROM label_actions GROUP BY 1, 2 ORDER BY 1, 2')],
  )

const reviewSweep = (): Sweep =>
  requestSweep(
    (store) => {
      const { projectId, postIds } = seedProject(store, 24, 'fault')
      const runId = Number(store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
      const insert = store.db.prepare('INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, ?, ?)')
      postIds.forEach((postId, i) => {
        // Every third post carries an imported label, which an accept must name to replace.
        if (i % 3 === 0) store.annotations.append({ projectId, postId, modality: 'overall', label: SENT[(i + 1) % 3]!, source: 'imported', kind: 'label', annotator: 'mvsa:rule' })
        insert.run(runId, postId, SENT[i % 3], 0.4 + (i % 10) / 20)
      })
      const ops: Op[] = []
      postIds.slice(0, 18).forEach((postId, i) => {
        const replaces = i % 3 === 0 ? { replaces: SENT[(i + 1) % 3] } : {}
        const kind = ['accept', 'correct', 'reject'][i % 3]!
        ops.push(['review.decide', { runId, postId, kind, ...(kind === 'correct' ? { label: SENT[(i + 2) % 3] } : {}), annotator: 'ann', ...replaces }])
        if (i % 5 === 4) ops.push(['review.undo', { runId, annotator: 'ann' }])
      })
      ops.push(['review.bulkAccept', { runId, minConfidence: 0.5, annotator: 'ann' }])
      ops.push(['review.undo', { runId, annotator: 'ann' }])
      ops.push(['review.bulkAccept', { runId, minConfidence: 0.6, annotator: 'ann' }])
      return { ops }
    },
    (store) => [
      labelState(store).labels,
      all(store, "SELECT post_id, kind, label FROM review_decisions WHERE state = 'done' ORDER BY post_id"),
      all(store, 'SELECT state, kind, count(*) AS n FROM review_steps GROUP BY 1, 2 ORDER BY 1, 2'),
    ],
  )

const SWEEPS: Record<Activity, () => Sweep> = {
  import: importSweep,
  extraction: extractionSweep,
  training: trainingSweep,
  labeling: labelingSweep,
  review: reviewSweep,
}

/**
 * `kills` SIGKILLs of one activity at seeded random points of its work (Sweep.kill), each on a
 * fresh copy of the store, then the checks and the resume.
 */
export async function sweep(activity: Activity, kills: number, seed = 12): Promise<{ results: KillResult[]; durationMs: number }> {
  const s = SWEEPS[activity]()
  const { fresh, reference, durationMs } = await s.prepare()
  const random = seededRandom(seed)
  const results: KillResult[] = []
  for (let k = 0; k < kills; k++) {
    const fraction = random()
    const db = fresh()
    const { finishedFirst, progress, acked } = await s.kill(db, fraction)
    const { partial, lost, integrity: ok } = s.check(db, acked)
    await s.resume(db, acked)
    results.push({ activity, at: Math.round(fraction * 1000) / 1000, finishedFirst, progress, integrity: ok, partial, lost, resumedEqual: same(s.dump(db), reference) })
  }
  return { results, durationMs }
}
