// The Features panel's encoder choice (stores/features.ts) against a real back end: the select
// opens on the pair an extraction will use, named by its id among the listed pairs (before, it held
// the back end's alias 'default', which no option carries, and the select showed nothing), and a
// pair the person picked is not replaced when the choices arrive again.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { testBackend } from '../support/backend'
import { wire } from '../support/in-process-api'
import { CURRENT_DEFAULT } from '#main/features/built-in-pairs'
import { useFeaturesStore } from '#renderer/stores/features'

vi.mock('#renderer/api/client', () => import('../support/in-process-api'))

describe('the Features panel’s encoder choice', () => {
  beforeEach(() => {
    wire.backend = testBackend()
    setActivePinia(createPinia())
  })

  it('opens on the default pair, by an id the select lists, and sends that id', async () => {
    const features = useFeaturesStore()
    await features.loadChoices()
    const listed = features.choices!.pairs.map((p) => p.id)
    expect(listed).toContain(features.choice)
    expect(features.choice).toBe(CURRENT_DEFAULT)
    expect(features.encoder).toBe(CURRENT_DEFAULT)
  })

  it('keeps a pair the person chose when the choices are asked for again', async () => {
    const features = useFeaturesStore()
    await features.loadChoices()
    const other = features.choices!.pairs.find((p) => p.id !== CURRENT_DEFAULT)!
    features.choice = other.id
    await features.loadChoices()
    expect([features.choice, features.encoder]).toEqual([other.id, other.id])
  })
})
