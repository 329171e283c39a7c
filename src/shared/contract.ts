// The one contract between UI and back end. Every request, response and event is typed here;
// the preload, the Electron IPC wiring, the HTTP server and the renderer's client all derive
// from these maps, so a wrong payload is a compile error everywhere at once.
import type { ImportFinished, ImportFormat, ImportProgress, ImportRequest } from './imports'
import type { PostPage, PostQuery, ProjectStats, ProjectSummary } from './projects'
import type { AppInfo, DirectoryListing } from './system'
// Labeling
import type { AgreementReport, LabelAck, LabelingPost, LabelProgress, LabelRequest, QueuePage, QueueRequest, StrategyStatus, SuggestRequest, SuggestResult, UndoAck, UndoState } from './labeling'
import type { LabelSet, Modality } from './vocabulary'
// Features
import type { EncoderChoices, ExtractionFinished, ExtractionProgress, FeatureStatus, ProbeReport } from './features'
// Runs
import type { RunDetail, RunFinished, RunPlan, RunPresets, RunProgress, RunRequest, RunSummary } from './runs'
// Review and export
import type { ExportLabelsRequest, ExportLabelsResult, ExportModelResult } from './exports'
import type { ReviewBulkPreview, ReviewBulkResult, ReviewDecideRequest, ReviewDecideResult, ReviewQueuePage, ReviewQueueRequest, ReviewUndoResult } from './review'

export interface Api {
  'app.info': { req: void; res: AppInfo }
  'projects.list': { req: void; res: ProjectSummary[] }
  'projects.create': { req: { name: string; description?: string }; res: ProjectSummary }
  'projects.delete': { req: { projectId: number }; res: { deleted: boolean } }
  'projects.stats': { req: { projectId: number }; res: ProjectStats }
  'posts.page': { req: PostQuery; res: PostPage }
  'imports.detect': { req: { path: string }; res: { format: ImportFormat | null; reason: string } }
  'imports.start': { req: ImportRequest; res: { jobId: string } }
  'imports.cancel': { req: { jobId: string }; res: { cancelled: boolean } }
  /** Native folder/file dialog; `null` when cancelled. Only where `AppInfo.nativeDialogs`. */
  'system.pickPath': { req: { kind: 'folder' | 'file' }; res: { path: string | null } }
  /** Lists a folder on the machine running the back end (browser mode's path picker). */
  'system.listDir': { req: { path?: string }; res: DirectoryListing }

  // ---- Labeling ----
  'labels.post': { req: { projectId: number; postId: number }; res: LabelingPost }
  /** Posts in the order a filter gives, a few at a time from a place (keyset, never an offset). */
  'labels.queue': { req: QueueRequest; res: QueuePage }
  /** Answers once the label is committed to SQLite. */
  'labels.set': { req: LabelRequest; res: LabelAck }
  'labels.undo': { req: { projectId: number; annotator: string }; res: UndoAck }
  'labels.redo': { req: { projectId: number; annotator: string }; res: UndoAck }
  'labels.undoState': { req: { projectId: number; annotator: string }; res: UndoState }
  'labels.progress': { req: { projectId: number }; res: LabelProgress }
  'labels.setTarget': { req: { projectId: number; target: number | null }; res: LabelProgress }
  'labels.agreement': { req: { projectId: number; modality?: Modality }; res: AgreementReport }
  'labels.strategies': { req: { projectId: number }; res: StrategyStatus[] }
  'labels.suggest': { req: SuggestRequest; res: SuggestResult }

  // ---- Features ----
  /** The built-in encoder pairs, and the verdict on an ONNX folder when one is given. */
  'features.encoders': { req: { onnxFolder?: string }; res: EncoderChoices }
  /** Cached vectors per encoder and view for a pair with K views (describing the pair may load it: seconds, once). */
  'features.status': { req: { projectId: number; encoder?: string; views?: number }; res: FeatureStatus }
  /** Starts extracting what is missing, in a worker process; follow `features.progress`. */
  'features.extract': { req: { projectId: number; encoder?: string; views?: number }; res: { jobId: string } }
  'features.cancel': { req: { jobId: string }; res: { cancelled: boolean } }
  /** Logistic regression on train, C chosen on val, scored on test: text, image and both. */
  'features.probe': { req: { projectId: number; encoder?: string }; res: ProbeReport }

  // ---- Runs ----
  /** Methods, presets, and every config field's value per method and preset. */
  'runs.presets': { req: void; res: RunPresets }
  /** Validates a request without starting it: config problems by field, the labels it would use, features. */
  'runs.plan': { req: RunRequest; res: RunPlan }
  /** Starts a run in the trainer process; follow `runs.progress`. One run at a time per project. */
  'runs.start': { req: RunRequest; res: { runId: number } }
  /** Stops a run, keeping its last checkpoint (status 'cancelled'). */
  'runs.cancel': { req: { runId: number }; res: { cancelled: boolean } }
  /** Continues a cancelled or failed run from its last checkpoint (the same run row). */
  'runs.resume': { req: { runId: number }; res: { runId: number } }
  'runs.list': { req: { projectId: number }; res: RunSummary[] }
  'runs.get': { req: { runId: number }; res: RunDetail }
  /** Deletes a run with its metrics, pseudo-labels, checkpoints and model; refused while it runs. */
  'runs.delete': { req: { runId: number }; res: { deleted: boolean } }

  // ---- Review ----
  /** A run's pseudo-labels, riskiest (or least confident) first, each with the reasons it is at risk. */
  'review.queue': { req: ReviewQueueRequest; res: ReviewQueuePage }
  /** Accept → a 'pseudo-accepted' label, correct → a 'correction', reject → recorded, no label. */
  'review.decide': { req: ReviewDecideRequest; res: ReviewDecideResult }
  /** Undoes this annotator's latest review decision in the run (a bulk accept is one step). */
  'review.undo': { req: { runId: number; annotator: string }; res: ReviewUndoResult }
  /** Pending items at or above a confidence, per proposed class. */
  'review.bulkPreview': { req: { runId: number; minConfidence: number }; res: ReviewBulkPreview }
  /** Accepts every pending item at or above a confidence, in one transaction. */
  'review.bulkAccept': { req: { runId: number; minConfidence: number; annotator: string }; res: ReviewBulkResult }

  // ---- Export ----
  /** The project's current labels as CSV, JSONL or Label Studio JSON (with a run's predictions). */
  'exports.labels': { req: ExportLabelsRequest; res: ExportLabelsResult }
  /** Copies a run's TensorFlow.js model folder to `path`. */
  'exports.model': { req: { runId: number; path: string }; res: ExportModelResult }
}

export interface Events {
  'imports.progress': ImportProgress
  'imports.finished': ImportFinished
  'projects.changed': { projectId: number }

  // ---- Labeling ----
  /** A post's labels changed (a label, an undo or a redo), from any window. */
  'labels.changed': { projectId: number; postId: number; labels: LabelSet; annotator: string }

  // ---- Features ----
  'features.progress': ExtractionProgress
  'features.finished': ExtractionFinished

  // ---- Runs ----
  'runs.progress': RunProgress
  'runs.finished': RunFinished

  // ---- Review ----
  /** Review decisions of a run changed (decide, undo, bulk accept), from any window. */
  'review.changed': { runId: number; projectId: number }
}

export type Method = keyof Api
export type EventName = keyof Events
export type Req<M extends Method> = Api[M]['req']
export type Res<M extends Method> = Api[M]['res']

// Runtime lists, checked for exhaustiveness against the types above.
const methodTable: Record<Method, true> = {
  'app.info': true,
  'projects.list': true,
  'projects.create': true,
  'projects.delete': true,
  'projects.stats': true,
  'posts.page': true,
  'imports.detect': true,
  'imports.start': true,
  'imports.cancel': true,
  'system.pickPath': true,
  'system.listDir': true,
  // Labeling
  'labels.post': true,
  'labels.queue': true,
  'labels.set': true,
  'labels.undo': true,
  'labels.redo': true,
  'labels.undoState': true,
  'labels.progress': true,
  'labels.setTarget': true,
  'labels.agreement': true,
  'labels.strategies': true,
  'labels.suggest': true,
  // Features
  'features.encoders': true,
  'features.status': true,
  'features.extract': true,
  'features.cancel': true,
  'features.probe': true,
  // Runs
  'runs.presets': true,
  'runs.plan': true,
  'runs.start': true,
  'runs.cancel': true,
  'runs.resume': true,
  'runs.list': true,
  'runs.get': true,
  'runs.delete': true,
  // Review and export
  'review.queue': true,
  'review.decide': true,
  'review.undo': true,
  'review.bulkPreview': true,
  'review.bulkAccept': true,
  'exports.labels': true,
  'exports.model': true,
}
const eventTable: Record<EventName, true> = {
  'imports.progress': true,
  'imports.finished': true,
  'projects.changed': true,
  // Labeling
  'labels.changed': true,
  // Features
  'features.progress': true,
  'features.finished': true,
  // Runs
  'runs.progress': true,
  'runs.finished': true,
  // Review
  'review.changed': true,
}
export const METHODS = Object.freeze(Object.keys(methodTable) as Method[])
export const EVENTS = Object.freeze(Object.keys(eventTable) as EventName[])
export const isMethod = (name: unknown): name is Method =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodTable, name)
export const isEvent = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventTable, name)

/** Error codes a handler may answer with; the UI shows `message`, which names the problem. */
export type ErrorCode = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'unsupported' | 'internal'

export interface ApiErrorBody {
  code: ErrorCode
  message: string
}

/** The envelope every transport carries. */
export type Reply<M extends Method> = { ok: true; result: Res<M> } | { ok: false; error: ApiErrorBody }

/** The bridge the preload exposes as `window.commonGround` (Electron), mirrored over HTTP in a browser. */
export interface Bridge {
  invoke<M extends Method>(method: M, payload: Req<M>): Promise<Reply<M>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}

// Transport names: one IPC channel for requests, one for events.
export const IPC_INVOKE = 'cg:invoke'
export const IPC_EVENT = 'cg:event'
/** Custom protocol (Electron) and route prefix (browser mode) for project media. */
export const MEDIA_SCHEME = 'cg-media'
export const MEDIA_ROUTE = '/media/'
export const API_ROUTE = '/api/'
export const EVENTS_ROUTE = '/events'
