// The one contract between UI and back end. Every request payload and every event payload is a
// valibot schema, and its TypeScript type is inferred from it; every response is a type. The
// preload, the Electron IPC wiring, the HTTP server and the renderer's client all derive from the
// two tables below, so a wrong payload is a compile error everywhere at once, and the back end's
// `dispatch` checks every payload against the same schema before a handler sees it.
import * as v from 'valibot'
import type { EncoderChoices, FeatureStatus, ProbeReport } from './features'
import { EncodersRequest, ExtractionFinished, ExtractionProgress, FeaturesRequest, ProbeRequest } from './features'
import { ImportDetectRequest, ImportFinished, ImportProgress, ImportRequest, JobRef, type ImportFormat } from './imports'
import { ProjectCreateRequest, ProjectRef, ProjectUpdateRequest, PostQuery, type PostPage, type ProjectStats, type ProjectSummary } from './projects'
import { ListDirRequest, MakeDirRequest, PickPathRequest, type AppInfo, type DirectoryListing, type ProjectFolders } from './system'
// Labeling
import { AgreementRequest, AnnotatorRequest, LabelRequest, LabelsChanged, LabelTargetRequest, PostRef, QueueRequest, StrategiesRequest, SuggestRequest } from './labeling'
import type { AgreementReport, LabelAck, LabelingPost, LabelProgress, QueuePage, StrategyStatus, SuggestResult, UndoAck, UndoState } from './labeling'
// Runs
import { RunFinished, RunProgressEvent, RunRef, RunRequest, type RunDetail, type RunPlan, type RunPresets, type RunSummary } from './runs'
// Review and export
import { ExportLabelsRequest, ExportModelRequest, type ExportLabelsResult, type ExportModelResult } from './exports'
import { ExportPredictionsRequest, PredictFinished, PredictProgress, PredictRequest, type PredictionSetSummary } from './predictions'
import { ReviewBulkAcceptRequest, ReviewBulkRequest, ReviewChanged, ReviewDecideRequest, ReviewQueueRequest, ReviewUndoRequest } from './review'
import type { ReviewBulkPreview, ReviewBulkResult, ReviewDecideResult, ReviewQueuePage, ReviewUndoResult } from './review'
import { LabelCheckChanged, LabelCheckDecideRequest, LabelCheckFinished, LabelCheckProgress, LabelCheckQueueRequest, LabelCheckRef, LabelCheckStartRequest, LabelCheckUndoRequest } from './label-check'
import type { LabelCheckDecideResult, LabelCheckPage, LabelCheckSummary, LabelCheckUndoResult } from './label-check'

/** A method's answer, carried in the table for the compiler only (nothing reads it at run time). */
declare const answer: unique symbol
interface Answers<R> {
  readonly [answer]?: R
}
const answers = /* @__NO_SIDE_EFFECTS__ */ <R>(): Answers<R> => ({})

/** A method: the schema its payload must pass, and what it answers. */
const method = /* @__NO_SIDE_EFFECTS__ */ <S extends v.GenericSchema, R>(request: S, answer: Answers<R>) => ({ request, answers: answer })

/** Methods without a payload accept anything (a browser sends null) and see none. */
const NoPayload = v.pipe(v.unknown(), v.transform((): void => undefined))

export const API = {
  'app.info': method(NoPayload, answers<AppInfo>()),
  'projects.list': method(NoPayload, answers<ProjectSummary[]>()),
  'projects.create': method(ProjectCreateRequest, answers<ProjectSummary>()),
  'projects.update': method(ProjectUpdateRequest, answers<ProjectSummary>()),
  'projects.delete': method(ProjectRef, answers<{ deleted: boolean }>()),
  'projects.stats': method(ProjectRef, answers<ProjectStats>()),
  /** Where the project's pickers start: its latest import's folder. */
  'projects.folders': method(ProjectRef, answers<ProjectFolders>()),
  'posts.page': method(PostQuery, answers<PostPage>()),
  'imports.detect': method(ImportDetectRequest, answers<{ format: ImportFormat | null; reason: string }>()),
  'imports.start': method(ImportRequest, answers<{ jobId: string }>()),
  'imports.cancel': method(JobRef, answers<{ cancelled: boolean }>()),
  /** Native folder/file dialog; `null` when cancelled. Only where `AppInfo.nativeDialogs`. */
  'system.pickPath': method(PickPathRequest, answers<{ path: string | null }>()),
  /** Lists a folder on the machine running the back end (browser mode's path picker). */
  'system.listDir': method(ListDirRequest, answers<DirectoryListing>()),
  /** Creates a folder there (the browser's "New folder" where an export goes); answers its path. */
  'system.makeDir': method(MakeDirRequest, answers<{ path: string }>()),

  // ---- Labeling ----
  'labels.post': method(PostRef, answers<LabelingPost>()),
  /** Posts in the order a filter gives, a few at a time from a place (keyset, never an offset). */
  'labels.queue': method(QueueRequest, answers<QueuePage>()),
  /** Answers once the label is committed to SQLite. */
  'labels.set': method(LabelRequest, answers<LabelAck>()),
  'labels.undo': method(AnnotatorRequest, answers<UndoAck>()),
  'labels.redo': method(AnnotatorRequest, answers<UndoAck>()),
  'labels.undoState': method(AnnotatorRequest, answers<UndoState>()),
  'labels.progress': method(ProjectRef, answers<LabelProgress>()),
  'labels.setTarget': method(LabelTargetRequest, answers<LabelProgress>()),
  'labels.agreement': method(AgreementRequest, answers<AgreementReport>()),
  'labels.strategies': method(StrategiesRequest, answers<StrategyStatus[]>()),
  'labels.suggest': method(SuggestRequest, answers<SuggestResult>()),

  // ---- Features ----
  /** The built-in encoder pairs, and the verdict on an ONNX folder when one is given. */
  'features.encoders': method(EncodersRequest, answers<EncoderChoices>()),
  /** Cached vectors per encoder and view for a pair with K views (describing the pair may load it: seconds, once). */
  'features.status': method(FeaturesRequest, answers<FeatureStatus>()),
  /** Starts extracting what is missing, in a worker process; follow `features.progress`. */
  'features.extract': method(FeaturesRequest, answers<{ jobId: string }>()),
  'features.cancel': method(JobRef, answers<{ cancelled: boolean }>()),
  /** Logistic regression on train, C chosen on val, scored on test: text, image and both. */
  'features.probe': method(ProbeRequest, answers<ProbeReport>()),

  // ---- Runs ----
  /** Methods, presets, and every config field's value per method and preset. */
  'runs.presets': method(NoPayload, answers<RunPresets>()),
  /** Validates a request without starting it: config problems by field, the labels it would use, features. */
  'runs.plan': method(RunRequest, answers<RunPlan>()),
  /** Starts a run in the trainer process; follow `runs.progress`. One run at a time per project. */
  'runs.start': method(RunRequest, answers<{ runId: number }>()),
  /** Stops a run, keeping its last checkpoint (status 'cancelled'). */
  'runs.cancel': method(RunRef, answers<{ cancelled: boolean }>()),
  /** Continues a cancelled or failed run from its last checkpoint (the same run row). */
  'runs.resume': method(RunRef, answers<{ runId: number }>()),
  'runs.list': method(ProjectRef, answers<RunSummary[]>()),
  'runs.get': method(RunRef, answers<RunDetail>()),
  /** Deletes a run with its metrics, pseudo-labels, checkpoints and model; refused while it runs. */
  'runs.delete': method(RunRef, answers<{ deleted: boolean }>()),

  // ---- Review ----
  /** A run's pseudo-labels, riskiest (or least confident) first, each with the reasons it is at risk. */
  'review.queue': method(ReviewQueueRequest, answers<ReviewQueuePage>()),
  /** Accept → a 'pseudo-accepted' label, correct → a 'correction', reject → recorded, no label. */
  'review.decide': method(ReviewDecideRequest, answers<ReviewDecideResult>()),
  /** Undoes this annotator's latest review decision in the run (a bulk accept is one step). */
  'review.undo': method(ReviewUndoRequest, answers<ReviewUndoResult>()),
  /** Pending items at or above a confidence, per proposed class. */
  'review.bulkPreview': method(ReviewBulkRequest, answers<ReviewBulkPreview>()),
  /** Accepts every pending item at or above a confidence, in one transaction. */
  'review.bulkAccept': method(ReviewBulkAcceptRequest, answers<ReviewBulkResult>()),

  // ---- Label check ----
  /** Finds the human labels that are probably wrong (out-of-fold probabilities, confident learning) off the event loop; follow `labelCheck.progress`. */
  'labelCheck.start': method(LabelCheckStartRequest, answers<{ checkId: number }>()),
  'labelCheck.cancel': method(LabelCheckRef, answers<{ cancelled: boolean }>()),
  /** The project's label checks, newest first. */
  'labelCheck.list': method(ProjectRef, answers<LabelCheckSummary[]>()),
  /** A check's likely label errors, least self-confident first, with the evidence. */
  'labelCheck.queue': method(LabelCheckQueueRequest, answers<LabelCheckPage>()),
  /** Accept → the suggested label as a correction naming the label it replaces; keep → the label stays, the item reviewed. */
  'labelCheck.decide': method(LabelCheckDecideRequest, answers<LabelCheckDecideResult>()),
  /** Undoes this reviewer's latest decision in the check. */
  'labelCheck.undo': method(LabelCheckUndoRequest, answers<LabelCheckUndoResult>()),

  // ---- Export ----
  /** The project's current labels as CSV, JSONL or Label Studio JSON (with a run's predictions). */
  'exports.labels': method(ExportLabelsRequest, answers<ExportLabelsResult>()),
  /** A run's model as TensorFlow.js and ONNX (standardisation and calibration in the graph) in the folder `path`. */
  'exports.model': method(ExportModelRequest, answers<ExportModelResult>()),
  /** A prediction set as CSV: label, confidence and each class's probability per post. */
  'exports.predictions': method(ExportPredictionsRequest, answers<ExportLabelsResult>()),

  // ---- Predict ----
  /**
   * Applies a finished run (any project's) or an exported model folder to the project's posts that
   * have its encoder pair's features, in the trainer process; answers when the set is stored. Follow
   * `predict.progress`. One predict at a time per project.
   */
  'predict.run': method(PredictRequest, answers<PredictionSetSummary>()),
  /** Stops the project's predict: nothing of its set is kept, and `predict.run` answers with an error saying it was cancelled. */
  'predict.cancel': method(ProjectRef, answers<{ cancelled: boolean }>()),
  /** The project's prediction sets, newest first. */
  'predict.list': method(ProjectRef, answers<PredictionSetSummary[]>()),
}

export const EVENT_PAYLOADS = {
  'imports.progress': ImportProgress,
  'imports.finished': ImportFinished,
  'projects.changed': v.object({ projectId: v.number() }),

  // ---- Labeling ----
  /** A post's labels changed (a label, an undo or a redo), from any window. */
  'labels.changed': LabelsChanged,

  // ---- Features ----
  'features.progress': ExtractionProgress,
  'features.finished': ExtractionFinished,

  // ---- Runs ----
  'runs.progress': RunProgressEvent,
  'runs.finished': RunFinished,

  // ---- Review ----
  /** Review decisions of a run changed (decide, undo, bulk accept), from any window. */
  'review.changed': ReviewChanged,

  // ---- Predict ----
  'predict.progress': PredictProgress,
  'predict.finished': PredictFinished,

  // ---- Label check ----
  'labelCheck.progress': LabelCheckProgress,
  'labelCheck.finished': LabelCheckFinished,
  /** Decisions of a label check changed (decide, undo), from any window. */
  'labelCheck.changed': LabelCheckChanged,
}

export type Method = keyof typeof API
export type EventName = keyof typeof EVENT_PAYLOADS
/** What a caller sends: the schema's input (optional fields may be left out, defaults apply). */
export type Req<M extends Method> = v.InferInput<(typeof API)[M]['request']>
/** What a handler receives: the schema's output, checked, trimmed, with its defaults filled in. */
export type Checked<M extends Method> = v.InferOutput<(typeof API)[M]['request']>
export type Res<M extends Method> = (typeof API)[M]['answers'] extends Answers<infer R> ? R : never
export type Api = { [M in Method]: { req: Req<M>; res: Res<M> } }
export type Events = { [E in EventName]: v.InferOutput<(typeof EVENT_PAYLOADS)[E]> }

export const isMethod = (name: unknown): name is Method => typeof name === 'string' && Object.prototype.hasOwnProperty.call(API, name)
export const isEvent = (name: unknown): name is EventName => typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENT_PAYLOADS, name)

/** Error codes a handler may answer with; the UI shows `message`, which names the problem. */
export type ErrorCode = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'unsupported' | 'busy' | 'internal'

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
