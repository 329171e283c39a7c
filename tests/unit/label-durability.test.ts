// An acknowledged label is on disk: the browser-mode server is killed with SIGKILL the moment it
// answers, and a fresh store finds every acknowledged label, its history and the undo stack.
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '#main/app/backend'
import { openStore } from '#main/db/store'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'
import { serveProcess } from './support/serve-process'

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('a killed back end', () => {
  it('loses no label it acknowledged', async () => {
    const db = path.join(tempDir(), 'durable.db')
    const seeded = openStore(db)
    const { projectId, postIds } = seedProject(seeded, 6)
    seeded.close()

    const { child, call } = await serveProcess(db)
    children.push(child)
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
