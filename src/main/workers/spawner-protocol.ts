// Messages between a shell and its spawner thread (spawner-thread.ts), which forks the worker
// processes and relays their messages. Each child is named by the id the shell gave it.

export type ToSpawner =
  | { op: 'fork'; id: number; entry: string }
  | { op: 'send'; id: number; message: unknown }
  | { op: 'kill'; id: number }

export type FromSpawner =
  | { op: 'forked'; id: number; pid: number | null }
  | { op: 'message'; id: number; message: unknown }
  /** `reason` as ChildHandle.onExit gives it: null for a clean exit. */
  | { op: 'exit'; id: number; reason: string | null }
