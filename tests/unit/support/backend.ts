import path from 'node:path'
import * as v from 'valibot'
import { afterEach } from 'vitest'
import { EVENT_PAYLOADS } from '#shared/contract'
import { describeIssues } from '#shared/fields'
import { createBackend, type Backend, type BackendOptions } from '#main/app/backend'
import { tempDir } from './temp'

const open: Backend[] = []
/** Events whose payload did not pass the event's schema, in any test. */
const badEvents: string[] = []

/**
 * A real back end on a fresh database file, closed after the test. Every event it emits is checked
 * against the contract's schema for it (here, not in the app: events are hot paths); a payload
 * that does not pass fails the test.
 */
export function testBackend(options: Partial<BackendOptions> = {}): Backend {
  const backend = createBackend({ dbPath: path.join(tempDir('cg-db-'), 'test.db'), shell: { shell: 'browser' }, ...options })
  backend.events.subscribe((event, payload) => {
    const checked = v.safeParse(EVENT_PAYLOADS[event], payload)
    if (!checked.success) badEvents.push(describeIssues(event, checked.issues))
  })
  open.push(backend)
  return backend
}

afterEach(() => {
  for (const b of open.splice(0)) b.close()
  const bad = badEvents.splice(0)
  if (bad.length > 0) throw new Error(`events that do not match the contract: ${bad.join('; ')}`)
})
