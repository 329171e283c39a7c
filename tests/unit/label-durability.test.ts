// An acknowledged label is on disk: the browser-mode server is killed with SIGKILL the moment it
// answers, and a fresh store finds every acknowledged label, its history and the undo stack.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '#main/app/backend'
import { openStore } from '#main/db/store'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

const CLI = fileURLToPath(new URL('../../bin/common-ground.mjs', import.meta.url))

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** Starts `serve --json` and resolves with the URL it prints once listening. */
function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      try {
        resolve({ child, url: (JSON.parse(out) as { url: string }).url })
      } catch {
        // the JSON is not complete yet
      }
    })
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)))
  })
}

describe('a killed back end', () => {
  it('loses no label it acknowledged', async () => {
    const db = path.join(tempDir(), 'durable.db')
    const seeded = openStore(db)
    const { projectId, postIds } = seedProject(seeded, 6)
    seeded.close()

    const { child, url } = await serve(db)
    const call = async (method: string, payload: unknown): Promise<{ ok: boolean }> => {
      const response = await fetch(`${url}api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) })
      return (await response.json()) as { ok: boolean }
    }
    const labels = ['positive', 'neutral', 'negative', 'positive', 'neutral'] as const
    for (const [i, label] of labels.entries()) {
      expect(await call('labels.set', { projectId, postId: postIds[i]!, modality: 'overall', label, annotator: 'ann' })).toMatchObject({ ok: true })
    }
    expect(await call('labels.undo', { projectId, annotator: 'ann' })).toMatchObject({ ok: true })
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    // The last label: kill the server in the same tick its acknowledgement arrives.
    const last = await call('labels.set', { projectId, postId: postIds[5]!, modality: 'image', label: 'negative', annotator: 'ann' })
    child.kill('SIGKILL')
    expect(last).toMatchObject({ ok: true })
    expect(await exited).toBe('SIGKILL')

    const backend = createBackend({ dbPath: db, shell: { shell: 'browser' } })
    try {
      expect(backend.store.db.pragma('integrity_check', { simple: true })).toBe('ok')
      const current = postIds.map((id) => backend.store.posts.get(projectId, id)!.labels)
      expect(current.map((l) => l.overall)).toEqual(['positive', 'neutral', 'negative', 'positive', null, null])
      expect(current[5]).toEqual({ overall: null, text: null, image: 'negative' })
      expect(backend.store.annotations.postLabels(postIds[4]!).history.map((h) => [h.label, h.kind])).toEqual([
        [null, 'undo'],
        ['neutral', 'label'],
      ])
      expect(await backend.call('labels.undoState', { projectId, annotator: 'ann' })).toMatchObject({
        undo: { postId: postIds[5], modality: 'image', to: 'negative' },
        redo: null,
      })
    } finally {
      backend.close()
    }
  })
})
