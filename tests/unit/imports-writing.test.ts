// While an import's one transaction holds the store's write lock, a label saved in any project
// waits for it: the save status names the import being written, from the events every window gets,
// and stops naming it once it has committed, been cancelled or failed.
import { describe, expect, it } from 'vitest'
import type { ImportProgress } from '#shared/imports'
import { importsWriting } from '#renderer/lib/imports-writing'

const progress = (jobId: string, phase: ImportProgress['phase'], done: number, total = 1000): ImportProgress => ({ jobId, projectId: 1, phase, done, total, etaMs: null })

describe('importsWriting', () => {
  it('names an import from its first writing event until the one that says it committed', () => {
    const writing = importsWriting()
    writing.progress(progress('a', 'images', 500))
    expect(writing.current()).toBeNull()
    writing.progress(progress('a', 'writing', 0))
    expect(writing.current()).toMatchObject({ jobId: 'a', done: 0, total: 1000 })
    writing.progress(progress('a', 'writing', 500))
    expect(writing.current()).toMatchObject({ jobId: 'a', done: 500 })
    writing.progress(progress('a', 'writing', 1000))
    expect(writing.current()).toBeNull()
  })

  it('forgets an import that ends without committing, and names the one writing longest of two', () => {
    const writing = importsWriting()
    writing.progress(progress('a', 'writing', 0))
    writing.progress(progress('b', 'writing', 0, 20))
    expect(writing.current()?.jobId).toBe('a')
    writing.finished({ jobId: 'a' })
    expect(writing.current()?.jobId).toBe('b')
    writing.finished({ jobId: 'b' })
    expect(writing.current()).toBeNull()
  })
})
