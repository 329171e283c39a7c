// The back end both shells serve: one set of handlers behind one `dispatch`, one event bus,
// one media resolver. Electron IPC and the HTTP server are thin transports over this.
import { isMethod, type Method, type Reply, type Req, type Res } from '../../shared/contract'
import { openStore, type Store } from '../db/store'
import { forkWorker, type LaunchWorker } from '../features/extraction/worker-process'
import { FeatureTasks } from '../features/feature-tasks'
import { AppError, toErrorBody } from './errors'
import { EventBus } from './event-bus'
import { createHandlers, type Handlers } from './handlers/index'
import { MediaResolver } from '../media/media-resolver'

export interface ShellServices {
  shell: 'electron' | 'browser'
  /** A native file dialog, where the shell has one. */
  pickPath?: (kind: 'folder' | 'file') => Promise<string | null>
  /** Starts the feature worker (Electron: a utilityProcess); a forked Node child by default. */
  launchWorker?: LaunchWorker
}

export interface BackendOptions {
  dbPath: string
  shell: ShellServices
  /** better-sqlite3 native binding to load (Electron needs one built for its ABI). */
  nativeBinding?: string
  /** Tests only: a module of fake encoders for the feature worker (see `PairSource.pairModule`). */
  pairModule?: string
}

export interface Backend {
  readonly store: Store
  readonly events: EventBus
  readonly media: MediaResolver
  /** Feature work in worker processes (the CLI runs extraction and the probe through it too). */
  readonly features: FeatureTasks
  dispatch(method: unknown, payload: unknown): Promise<Reply<Method>>
  call<M extends Method>(method: M, payload: Req<M>): Promise<Res<M>>
  close(): void
}

export function createBackend(options: BackendOptions): Backend {
  const store = openStore(options.dbPath, { nativeBinding: options.nativeBinding })
  const events = new EventBus()
  const media = new MediaResolver(store)
  const features = new FeatureTasks({
    dbPath: store.path,
    nativeBinding: options.nativeBinding,
    launch: options.shell.launchWorker ?? (() => forkWorker()),
    pairModule: options.pairModule,
  })
  const handlers: Handlers = createHandlers({ store, events, shell: options.shell, features })

  async function call<M extends Method>(method: M, payload: Req<M>): Promise<Res<M>> {
    const handler = handlers[method] as (p: Req<M>) => Promise<Res<M>> | Res<M>
    return await handler(payload)
  }

  return {
    store,
    events,
    media,
    features,
    call,
    async dispatch(method, payload) {
      try {
        if (!isMethod(method)) throw new AppError('bad-request', `Unknown method: ${String(method)}`)
        return { ok: true, result: await call(method, payload as Req<typeof method>) }
      } catch (err) {
        return { ok: false, error: toErrorBody(err) }
      }
    },
    close() {
      handlers.dispose()
      store.close()
    },
  }
}
