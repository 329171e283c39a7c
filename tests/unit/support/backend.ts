import path from 'node:path'
import { afterEach } from 'vitest'
import { createBackend, type Backend, type BackendOptions } from '#main/app/backend'
import { tempDir } from './temp'

const open: Backend[] = []

/** A real back end on a fresh database file, closed after the test. */
export function testBackend(options: Partial<BackendOptions> = {}): Backend {
  const backend = createBackend({ dbPath: path.join(tempDir('cg-db-'), 'test.db'), shell: { shell: 'browser' }, ...options })
  open.push(backend)
  return backend
}

afterEach(() => {
  for (const b of open.splice(0)) b.close()
})
