// Another connection (the read thread starting the WAL, a trainer saving its results) may hold the
// store's write lock for a moment. A label written meanwhile waits for it and lands; it used to fail
// with "database is locked", because its transaction read before it wrote and SQLite does not wait
// for a lock a read transaction needs to become a write one.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

/** A separate process holding the store's write lock for `ms`; resolves once it holds it, with a promise of its exit. */
function holdWriteLock(dbPath: string, ms: number): Promise<{ exited: Promise<number | null> }> {
  const script = `const db = require('better-sqlite3')(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE projects SET name = name").run(); console.log('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2])); db.exec('COMMIT'); db.close()`
  const child = spawn(process.execPath, ['-e', script, dbPath, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve({ exited }))
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)))
  })
}

describe('write transactions', () => {
  it('a label written while another process holds the write lock waits for it and lands', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    const holder = await holdWriteLock(backend.store.path, 300)
    const reply = await backend.dispatch('labels.set', { projectId, postId: postIds[0], modality: 'overall', label: 'negative', annotator: 'ana' })
    expect(reply.ok ? 'ok' : reply.error.message).toBe('ok')
    expect(await holder.exited).toBe(0)
    expect(backend.store.annotations.postLabels(postIds[0]!).labels.overall).toBe('negative')
  })
})
