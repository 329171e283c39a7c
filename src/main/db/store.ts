import Database, { type Database as Db } from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { migrate } from './migrate'
import { deferredCheckpoint } from './checkpoint'
import { BUSY_TIMEOUT_MS } from './write-lock'
import { ProjectsRepo } from './projects-repo'
import { SourcesRepo } from './sources-repo'
import { PostsRepo } from './posts-repo'
import { StatsRepo } from './stats-repo'
import { AnnotationsRepo } from './annotations-repo'
import { LabelActionsRepo } from './label-actions-repo'
import { QueueRepo } from './queue-repo'
import { SuggestionsRepo } from './suggestions-repo'
import { SuggestionInputsRepo } from './suggestion-inputs-repo'
import { PseudoLabelsRepo } from './pseudo-labels-repo'
import { ReviewRepo } from './review-repo'
import { ExportRepo } from './export-repo'
import { PredictionsRepo } from './predictions-repo'
import { RunsRepo } from './runs-repo'
import { FeaturesRepo } from './features-repo'
import { LabelChecksRepo } from './label-checks-repo'
import { TeacherLabelsRepo } from './teacher-labels-repo'

export interface StoreOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron differs from Node). */
  nativeBinding?: string
  readonly?: boolean
  /**
   * Map the file into memory for reads (SQLite's mmap_size, in bytes): a connection that reads the
   * feature cache whole (the trainer's) reads a row about 3× faster without the copy through SQLite's
   * page cache. The pages it touches count in the process's resident set as file pages (shared,
   * dropped by the OS under pressure), not as its own memory.
   */
  mapBytes?: number
  /** How long a write waits for another connection's lock (BUSY_TIMEOUT_MS unless given; worker processes wait longer, BACKGROUND_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number
}

/** What the trainer maps: SQLite's compiled-in cap (2 GB; 100,000 posts of the default pair's clean views are 0.7 GB). Pages past it are read as usual. */
export const FEATURE_MAP_BYTES = 0x7fff0000

/** The SQLite store: one connection, migrated on open, with a repository per concern. */
export interface Store {
  readonly db: Db
  readonly path: string
  readonly schemaVersion: number
  readonly projects: ProjectsRepo
  readonly sources: SourcesRepo
  readonly posts: PostsRepo
  readonly stats: StatsRepo
  // Labeling
  readonly annotations: AnnotationsRepo
  readonly labelActions: LabelActionsRepo
  readonly queue: QueueRepo
  readonly suggestions: SuggestionsRepo
  readonly suggestionInputs: SuggestionInputsRepo
  readonly pseudoLabels: PseudoLabelsRepo
  /** Review decisions on pseudo-labels and the review undo stacks. */
  readonly review: ReviewRepo
  /** Posts with their current labels (and a run's predictions) for the label exports. */
  readonly exports: ExportRepo
  // Features
  readonly features: FeaturesRepo
  // Training
  readonly runs: RunsRepo
  /** Models applied to a project's posts (`predict`). */
  readonly predictions: PredictionsRepo
  readonly labelChecks: LabelChecksRepo
  readonly teacherLabels: TeacherLabelsRepo
  /** Copies the WAL into the database once the current request has answered (see checkpoint.ts). */
  checkpointSoon(): void
  /** Hands those checkpoints to another connection (the read thread's), or back to this one (null). */
  delegateCheckpoints(run: (() => void) | null): void
  /** No deferred checkpoint while another process writes its results; call the answer when it is done (checkpoint.ts). */
  pauseCheckpoints(): () => void
  /** Where a project's thumbnails live: beside the database, never inside the user's data. */
  thumbnailDir(projectId: number): string
  /** A run's checkpoints and model, beside the database like the thumbnails. */
  runDir(projectId: number, runId: number): string
  /** The project's latest linear probe report (JSON), beside the database like the thumbnails. */
  probeFile(projectId: number): string
  close(): void
}

export function openDatabase(file: string, options: StoreOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  let db: Db | undefined
  try {
    db = new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      readonly: options.readonly ?? false,
    })
    // The first statement is where SQLite finds out the file is not a database.
    db.pragma('journal_mode = WAL')
  } catch (err) {
    db?.close()
    // SQLite's own words ("file is not a database") do not say which file.
    throw new Error(`Cannot open the store ${path.resolve(file)}: ${(err as Error).message}`, { cause: err })
  }
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`)
  // WAL + NORMAL: a committed transaction survives a killed process; only an OS crash can lose the last ones.
  db.pragma('synchronous = NORMAL')
  // Statement journals (multi-row INSERTs, savepoints) in memory: on disk they were ~120 MB of writes for a run's pseudo-labels (chunked-insert.ts).
  db.pragma('temp_store = MEMORY')
  if (options.mapBytes) db.pragma(`mmap_size = ${Math.floor(options.mapBytes)}`)
  return db
}

/** Stops mapping the file for reads (a connection opened with `mapBytes`, before it writes much). */
export function unmap(db: Db): void {
  db.pragma('mmap_size = 0')
}

/** The media folder beside a database file (`<db>.media`). */
export const mediaRootOf = (file: string): string => `${path.resolve(file).replace(/\.(db|sqlite3?)$/i, '')}.media`

export const runDir = (mediaRoot: string, projectId: number, runId: number): string => path.join(mediaRoot, `project-${projectId}`, 'runs', String(runId))

export function openStore(file: string, options: StoreOptions = {}): Store {
  const db = openDatabase(file, options)
  let schemaVersion: number
  try {
    schemaVersion = migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  const mediaRoot = mediaRootOf(file)
  const projects = new ProjectsRepo(db)
  const posts = new PostsRepo(db)
  const suggestions = new SuggestionsRepo(db)
  const checkpoint = deferredCheckpoint(db)
  return {
    db,
    path: path.resolve(file),
    schemaVersion,
    projects,
    sources: new SourcesRepo(db),
    posts,
    stats: new StatsRepo(db),
    annotations: new AnnotationsRepo(db),
    labelActions: new LabelActionsRepo(db),
    queue: new QueueRepo(db, posts, suggestions),
    suggestions,
    suggestionInputs: new SuggestionInputsRepo(db),
    pseudoLabels: new PseudoLabelsRepo(db),
    review: new ReviewRepo(db),
    exports: new ExportRepo(db),
    features: new FeaturesRepo(db),
    runs: new RunsRepo(db),
    predictions: new PredictionsRepo(db),
    labelChecks: new LabelChecksRepo(db),
    teacherLabels: new TeacherLabelsRepo(db),
    checkpointSoon: () => checkpoint.soon(),
    delegateCheckpoints: (run) => checkpoint.delegate(run),
    pauseCheckpoints: () => checkpoint.pause(),
    thumbnailDir: (projectId) => path.join(mediaRoot, `project-${projectId}`, 'thumbs'),
    runDir: (projectId, runId) => runDir(mediaRoot, projectId, runId),
    probeFile: (projectId) => path.join(mediaRoot, `project-${projectId}`, 'probe.json'),
    close() {
      if (!db.open) return
      try {
        db.pragma('optimize')
      } finally {
        db.close()
      }
    },
  }
}
