// The one contract between UI and back end. Every request, response and event is typed here;
// the preload, the Electron IPC wiring, the HTTP server and the renderer's client all derive
// from these maps, so a wrong payload is a compile error everywhere at once.
import type {
  AppInfo,
  DirectoryListing,
  ImportFinished,
  ImportFormat,
  ImportProgress,
  ImportRequest,
  PostPage,
  PostQuery,
  ProjectStats,
  ProjectSummary,
} from './domain'

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
}

export interface Events {
  'imports.progress': ImportProgress
  'imports.finished': ImportFinished
  'projects.changed': { projectId: number }
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
}
const eventTable: Record<EventName, true> = {
  'imports.progress': true,
  'imports.finished': true,
  'projects.changed': true,
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
