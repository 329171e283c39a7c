// A project's name and description changed: the same rules as at its creation, a name another
// project has refused (case-blind, as the command line's --project finds it), its own name in
// another case taken, every window told.
import { describe, expect, it } from 'vitest'
import { testBackend } from './support/backend'

describe('a project edited', () => {
  it('takes a new name and description, and refuses what creation refuses', async () => {
    const backend = testBackend()
    const heard: unknown[] = []
    backend.events.subscribe((event, payload) => {
      if (event === 'projects.changed') heard.push(payload)
    })
    const batch = await backend.call('projects.create', { name: 'new batch', description: '' })
    await backend.call('projects.create', { name: 'MVSA', description: 'the whole set' })

    const renamed = await backend.call('projects.update', { projectId: batch.id, name: '  March batch ', description: ' 300 posts ' })
    expect(renamed).toMatchObject({ id: batch.id, name: 'March batch', description: '300 posts' })
    expect((await backend.call('projects.list', undefined)).map((p) => p.name).sort()).toEqual(['MVSA', 'March batch'])
    expect(backend.store.projects.byName('march batch')?.id).toBe(batch.id)
    expect(heard).toContainEqual({ projectId: batch.id })

    // Its own name in another case is its own; another project's name is not.
    expect(await backend.call('projects.update', { projectId: batch.id, name: 'MARCH BATCH', description: '' })).toMatchObject({ name: 'MARCH BATCH' })
    expect(await backend.dispatch('projects.update', { projectId: batch.id, name: 'mvsa', description: '' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'A project named "MVSA" already exists' },
    })
    expect(await backend.dispatch('projects.update', { projectId: batch.id, name: 'a/b', description: '' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('cannot contain / or \\') },
    })
    expect(await backend.dispatch('projects.update', { projectId: 999, name: 'x', description: '' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    // Nothing refused was written.
    expect(backend.store.projects.get(batch.id)).toMatchObject({ name: 'MARCH BATCH', description: '' })
  })
})
