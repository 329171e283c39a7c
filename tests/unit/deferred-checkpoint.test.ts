// The shell's deferred WAL checkpoints: one after the turn in which writes asked for it, none while
// another process writes its results (paused), and one when the last pause ends: the WAL then holds
// that process's rows.
import type { Database } from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { deferredCheckpoint } from '#main/db/checkpoint'

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A connection that records its checkpoints. */
function fakeDb(): { db: Database; checkpoints: () => number } {
  const calls: string[] = []
  const db = { open: true, pragma: (sql: string) => void calls.push(sql) } as unknown as Database
  return { db, checkpoints: () => calls.filter((c) => c.startsWith('wal_checkpoint')).length }
}

describe('deferred checkpoints', () => {
  it('run once after the turn that asked, however many writes asked', async () => {
    const { db, checkpoints } = fakeDb()
    const checkpoint = deferredCheckpoint(db)
    checkpoint.soon()
    checkpoint.soon()
    expect(checkpoints()).toBe(0)
    await nextTurn()
    expect(checkpoints()).toBe(1)
  })

  it('wait while paused, and one runs when the last pause ends, asked for or not', async () => {
    const { db, checkpoints } = fakeDb()
    const checkpoint = deferredCheckpoint(db)
    const resumePredict = checkpoint.pause()
    const resumeRun = checkpoint.pause()
    checkpoint.soon()
    await nextTurn()
    resumePredict()
    resumePredict() // a second call changes nothing
    await nextTurn()
    expect(checkpoints()).toBe(0)
    resumeRun()
    await nextTurn()
    expect(checkpoints()).toBe(1)
    // Nothing asked during a pause: one runs after it all the same (the other process's rows are in the WAL), once.
    const resume = checkpoint.pause()
    resume()
    resume()
    await nextTurn()
    expect(checkpoints()).toBe(2)
  })
})
