// Which boot of the machine a recorded process belongs to: a run or a prediction set left behind by
// a process that died with the machine must not count as alive because a new process got its pid.
// Linux and macOS name their boots; elsewhere the owner's beats tell a reused pid (process-alive.test.ts).
import { describe, expect, it } from 'vitest'
import { BOOT_ID_READERS, bootId, readBootId } from '#main/core/boot-id'
import { itUnless, noBootHere } from './support/it-unless'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

describe("the machine's boot", () => {
  it('is named on Linux and macOS, by the reader of the system it runs on, and unknown elsewhere or when it cannot be read', () => {
    expect(Object.keys(BOOT_ID_READERS).sort()).toEqual(['darwin', 'linux'])
    const readers = { darwin: () => 'C0FFEE00-1111-2222-3333-444455556666\n' }
    expect(readBootId('darwin', readers)).toBe('C0FFEE00-1111-2222-3333-444455556666')
    expect(readBootId('win32', readers)).toBeNull()
    expect(readBootId('darwin', { darwin: () => '\n' })).toBeNull()
    expect(
      readBootId('darwin', {
        darwin: () => {
          throw new Error('sysctl: unknown oid')
        },
      }),
    ).toBeNull()
  })

  itUnless(noBootHere)(`reads this ${process.platform} machine's boot as a UUID, the same each time`, () => {
    expect(bootId()).toMatch(UUID)
    expect(readBootId()).toBe(bootId())
  })
})
