// The spawner thread: forks the worker processes a shell asks for and relays their messages both
// ways. Forking copies the forking process's page tables, which took 31 ms of the shell's loop at
// 229 MB resident (`npm run bench pseudo-labelling`) and grows with it; here it holds this thread.
import { parentPort } from 'node:worker_threads'
import { forkChild, type ChildHandle } from './child-process'
import type { FromSpawner, ToSpawner } from './spawner-protocol'

const port = parentPort!
const children = new Map<number, ChildHandle>()
const tell = (message: FromSpawner): void => port.postMessage(message)

port.on('message', (request: ToSpawner) => {
  switch (request.op) {
    case 'fork': {
      const { id } = request
      let child: ChildHandle
      try {
        child = forkChild(request.entry)
      } catch (err) {
        tell({ op: 'exit', id, reason: `could not start the worker process: ${err instanceof Error ? err.message : String(err)}` })
        return
      }
      children.set(id, child)
      tell({ op: 'forked', id, pid: child.pid ?? null })
      child.onMessage((message) => tell({ op: 'message', id, message }))
      child.onExit((reason) => {
        children.delete(id)
        tell({ op: 'exit', id, reason })
      })
      return
    }
    case 'send':
      return children.get(request.id)?.send(request.message)
    case 'kill':
      return children.get(request.id)?.kill()
  }
})
