// The arithmetic behind the Train, Runs and Review views: which curve goes on which chart, the
// launch dialog's advanced fields, and the review keys.
import { describe, expect, it } from 'vitest'
import { bindingIn, chordText, type KeyPress } from '#renderer/lib/keymap'
import { REVIEW_KEYMAP, reviewKeys } from '#renderer/lib/review-keymap'
import { chartsOf, runMarkers, thin } from '#renderer/lib/run-curves'
import { LiveCurve, type CurvePoint, type CurveSeries } from '#shared/runs'
import { groupFields, parseOverrides, rawOf } from '#renderer/lib/run-overrides'

describe('run curves', () => {
  const at = (step: number, values: Partial<Record<CurveSeries, number>>): CurvePoint[] =>
    Object.entries(values).map(([series, value]) => ({ step, series: series as CurveSeries, value }))

  it('sorts a run’s statistics into losses, acceptance per head and accuracy', () => {
    const points = [
      ...at(1, { lsup: 1.5, loss: 2, maskT: 0.2, maskM: 0.1, maskV: 0.05, lr: 0.03, selectedText: 0.3, gradNorm: 1.3 }),
      ...at(2, { lsup: 1.2, loss: 1.8, maskT: 0.3, maskM: 0.2, maskV: 0.1, lr: 0.03, selectedText: 0.3, 'val.accuracy': 0.55, 'test.accuracy': 0.5 }),
    ]
    const charts = chartsOf(points)
    expect(charts.losses.map((s) => s.name)).toEqual(['total', 'supervised'])
    expect(charts.losses[0]!.points).toEqual([{ x: 1, y: 2 }, { x: 2, y: 1.8 }])
    expect(charts.acceptance.map((s) => s.name)).toEqual(['fused head', 'text head', 'image head'])
    expect(charts.accuracy).toEqual([
      { name: 'validation', points: [{ x: 2, y: 0.55 }] },
      { name: 'test', points: [{ x: 2, y: 0.5 }] },
    ])
  })

  it('keeps a live curve whole up to its size, then every other step, never an evaluation', () => {
    const curve = new LiveCurve(40)
    for (let step = 1; step <= 12; step++) curve.add(at(step, { loss: step, lr: 0.1, ...(step % 5 === 0 ? { 'val.accuracy': step / 100 } : {}) }))
    expect(curve.points).toHaveLength(26)
    for (let step = 13; step <= 24; step++) curve.add(at(step, { loss: step, lr: 0.1, ...(step % 5 === 0 ? { 'val.accuracy': step / 100 } : {}) }))
    // Past 40 points only even steps stay, with every evaluation (steps 5, 15 are odd).
    const steps = (series: CurveSeries) => curve.points.filter((p) => p.series === series).map((p) => p.step)
    expect(steps('loss')).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24])
    expect(steps('val.accuracy')).toEqual([5, 10, 15, 20])
    curve.dropThrough(20)
    expect(curve.points.map((p) => p.step)).toEqual([22, 22, 24, 24])
  })

  it('marks where each self-training round begins and the step a finished run kept, drawing no line for the rounds', () => {
    const points = [...at(1, { lx: 1, 'val.accuracy': 0.6 }), ...at(200, { lx: 1.1, maskM: 0.4, round: 1 }), ...at(400, { lx: 1.2, maskM: 0.5, round: 2 })]
    expect(runMarkers(points, 23)).toEqual([
      { x: 200, label: 'round 1', kind: 'round' },
      { x: 400, label: 'round 2', kind: 'round' },
      { x: 23, label: 'kept', kind: 'kept' },
    ])
    // Still running: no step kept yet.
    expect(runMarkers(points)).toHaveLength(2)
    const charts = chartsOf(points)
    expect([...charts.losses, ...charts.acceptance, ...charts.accuracy].map((s) => s.name)).toEqual(['labeled', 'fused head', 'validation'])
  })

  it('keeps every round start in a live curve, however thinned', () => {
    const curve = new LiveCurve(10)
    for (let step = 1; step <= 30; step++) curve.add(at(step, { loss: step, ...(step === 13 ? { round: 1 } : {}) }))
    expect(curve.points.filter((p) => p.series === 'round').map((p) => p.step)).toEqual([13])
  })

  it('thins long series evenly and keeps the last point', () => {
    const many = Array.from({ length: 1000 }, (_, i) => i)
    const kept = thin(many, 100)
    expect(kept).toHaveLength(100)
    expect(kept[0]).toBe(0)
    expect(kept[99]).toBe(999)
    expect(thin([1, 2], 100)).toEqual([1, 2])
  })
})

describe('the launch dialog’s advanced fields', () => {
  const preset = { method: 'scdr', seed: 1, lr: 0.03, nesterov: true, optimizer: 'sgd', 'scdr.plfEpochs': 10, 'scdr.selector': 'supervised' }

  it('sends only what differs from the preset, typed as the preset’s value', () => {
    const raw = { ...rawOf(preset), lr: ' 0.01 ', nesterov: false, 'scdr.selector': 'supervised' }
    expect(parseOverrides(preset, raw)).toEqual({ overrides: { lr: 0.01, nesterov: false }, problems: {} })
  })

  it('names the field whose input is not a value', () => {
    const { problems, overrides } = parseOverrides(preset, { ...rawOf(preset), lr: 'fast', optimizer: ' ' })
    expect(problems.lr).toMatch(/^lr: enter a number/)
    expect(problems.optimizer).toMatch(/^optimizer: enter a value/)
    expect(overrides).toEqual({})
  })

  it('groups fields by their prefix', () => {
    expect(groupFields(['lr', 'scdr.plfEpochs', 'steps', 'flexmatch.warmup'])).toEqual([
      { group: '', fields: ['lr', 'steps'] },
      { group: 'scdr', fields: ['scdr.plfEpochs'] },
      { group: 'flexmatch', fields: ['flexmatch.warmup'] },
    ])
  })
})

describe('the review keymap', () => {
  const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods })
  const action = (p: KeyPress): unknown => bindingIn(REVIEW_KEYMAP, p)?.action

  it('maps the keys the issue names', () => {
    expect(action(press('a'))).toEqual({ kind: 'accept' })
    expect([action(press('1')), action(press('2')), action(press('3'))]).toEqual([
      { kind: 'correct', label: 'positive' },
      { kind: 'correct', label: 'neutral' },
      { kind: 'correct', label: 'negative' },
    ])
    expect(action(press('r'))).toEqual({ kind: 'reject' })
    expect(action(press('z', { ctrlKey: true }))).toEqual({ kind: 'undo' })
    expect(action(press('z'))).toBeUndefined()
    expect([action(press('ArrowDown')), action(press('ArrowUp'))]).toEqual([{ kind: 'next' }, { kind: 'prev' }])
    expect(action(press('?', { shiftKey: true }))).toEqual({ kind: 'help' })
  })

  it('gives no chord to two bindings and prints keys as the buttons show them', () => {
    const chords = REVIEW_KEYMAP.flatMap((b) => b.chords.map(chordText))
    expect(new Set(chords).size).toBe(chords.length)
    expect([reviewKeys('accept'), reviewKeys('undo'), reviewKeys('next')]).toEqual(['A', 'Ctrl+Z', '↓ / →'])
  })
})
