// Whether the process a run or a prediction set names is still at work on it: a pid that no process
// has is gone; a live pid is the owner only while the owner keeps saying so (a pid is reused, and
// Windows names no boot to tell an earlier one by).
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { bootId } from '#main/core/boot-id'
import { OWNER_SILENT_MS, beatWhileOwning, recordedProcessAlive, startBeating } from '#main/core/process-alive'

describe('a recorded process', () => {
  const now = Date.now()
  const me = (seenAt: number | null) => ({ pid: process.pid, boot: bootId(), seenAt })

  it('is alive while its pid runs and it beat within the silence allowed; not once silent longer, nor once its pid is gone', () => {
    expect(recordedProcessAlive(me(now - 1000), now)).toBe(true)
    expect(recordedProcessAlive(me(now - OWNER_SILENT_MS), now)).toBe(true)
    expect(recordedProcessAlive(me(now - OWNER_SILENT_MS - 1), now)).toBe(false)
    // Rows from before beats were recorded: the pid decides.
    expect(recordedProcessAlive(me(null), now)).toBe(true)
    const gone = spawnSync(process.execPath, ['-e', '']).pid
    expect(recordedProcessAlive({ pid: gone, boot: null, seenAt: now }, now)).toBe(false)
  })

  it('beats until stopped, past a beat that failed', async () => {
    let beats = 0
    const beating = startBeating(() => {
      beats++
      if (beats === 2) throw new Error('the store is busy')
    }, 10)
    await expect.poll(() => beats, { timeout: 2000 }).toBeGreaterThanOrEqual(4)
    beating.stop()
    const stopped = beats
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(beats).toBe(stopped)
  })

  it('beats for the work owned while there is any, stops once there is none, and starts again on new work', async () => {
    let owned: number[] = [1, 2]
    const written: number[][] = []
    const beats = beatWhileOwning(() => owned, (ids) => written.push([...ids]), 10)
    beats.wake()
    beats.wake() // one timer, however often woken
    await expect.poll(() => written.length, { timeout: 2000 }).toBeGreaterThanOrEqual(2)
    expect(written.every((ids) => ids.join() === '1,2')).toBe(true)
    owned = []
    await new Promise((resolve) => setTimeout(resolve, 40))
    const idle = written.length
    owned = [3]
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(written.length).toBe(idle) // stopped: not woken yet
    beats.wake()
    await expect.poll(() => written.at(-1)?.join(), { timeout: 2000 }).toBe('3')
    owned = []
  })
})
