// Worker processes forked from the spawner thread (spawner-thread.ts) rather than the calling
// thread: a fork holds its caller for as long as copying the process's page tables takes, tens
// of milliseconds for a shell at 100,000 posts, so the shells' loops hand that to a thread of their
// own. The handle is the one forkChild gives, so the tasks on top cannot tell the difference.
import type { Worker } from 'node:worker_threads'
import type { ChildHandle } from './child-process'
import type { FromSpawner, ToSpawner } from './spawner-protocol'
import { startThread } from './thread'

interface Live {
  pid?: number
  messages: Array<(message: unknown) => void>
  exits: Array<(reason: string | null) => void>
}

let spawner: Worker | null = null
let nextId = 1
const live = new Map<number, Live>()

/** Every live child ends with `reason` (the thread that held them is gone), and the next fork starts a new thread. */
function lost(reason: string): void {
  spawner = null
  const ended = [...live.values()]
  live.clear()
  for (const child of ended) for (const listener of child.exits) listener(reason)
}

function ended(id: number, reason: string | null): void {
  const child = live.get(id)
  if (!child) return
  live.delete(id)
  // An idle spawner does not keep the process alive; a live child does, as a forked one would.
  if (live.size === 0) spawner?.unref()
  for (const listener of child.exits) listener(reason)
}

function theSpawner(): Worker {
  if (spawner) return spawner
  // It prints nothing (its children's stdout is ignored), and it must not keep the process alive
  // when idle. Its children get the environment as it is when each is forked, as forkChild's do.
  const worker = startThread('workers/spawner-thread.ts', null, { dropStdout: false, shareEnv: true })
  worker.on('message', (event: FromSpawner) => {
    const child = live.get(event.id)
    if (event.op === 'forked' && child && event.pid !== null) child.pid = event.pid
    if (event.op === 'message') for (const listener of child?.messages ?? []) listener(event.message)
    if (event.op === 'exit') ended(event.id, event.reason)
  })
  worker.on('error', (err) => {
    if (spawner === worker) lost(`the thread that started the worker process failed: ${err.message}`)
  })
  worker.on('exit', (code) => {
    if (spawner === worker) lost(`the thread that started the worker process ended (exit code ${code})`)
  })
  spawner = worker
  return worker
}

/** As forkChild(entry), forked by the spawner thread. */
export function forkOffLoop<In = unknown, Out = unknown>(entry: string): ChildHandle<In, Out> {
  const worker = theSpawner()
  const id = nextId++
  const child: Live = { messages: [], exits: [] }
  live.set(id, child)
  worker.ref()
  const tell = (request: ToSpawner): void => {
    if (spawner === worker && live.has(id)) worker.postMessage(request)
  }
  tell({ op: 'fork', id, entry })
  return {
    get pid() {
      return child.pid
    },
    send: (message) => tell({ op: 'send', id, message }),
    onMessage: (listener) => void child.messages.push(listener as (message: unknown) => void),
    onExit: (listener) => void child.exits.push(listener),
    kill: () => tell({ op: 'kill', id }),
  }
}
