// Baselines beside every score: the majority class on the same test posts, the linear probe kept
// from its last run, and the warning a run gets when it does not beat them.
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProbeReport } from '#shared/features'
import type { RunSummary } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { majorityBaseline, majorityBasis, truthCounts } from '#main/ml/baseline'
import { loadProbe, saveProbe, withProbeBaseline } from '#main/app/probe-results'
import { baselineWarning } from '#renderer/lib/baselines'

describe('the majority-class baseline', () => {
  it('always answers the training labels’ most frequent class, scored on the test posts', () => {
    // Test posts: 30 negative, 10 neutral, 60 positive; training labels mostly positive.
    const b = majorityBaseline([30, 10, 60], [2, 1, 9], CONFUSION_ORDER)!
    expect(b.label).toBe('positive')
    expect(b.report.accuracy).toBeCloseTo(0.6)
    // Only "positive" has an F1: precision 0.6, recall 1 → F1 0.75; weighted by its 60 % support.
    expect(b.report.weightedF1).toBeCloseTo(0.45)
    expect(b.report.macroF1).toBeCloseTo(0.25)
  })

  it('follows the training labels even when the test posts lean elsewhere, and needs posts to score', () => {
    expect(majorityBaseline([70, 0, 30], [1, 0, 5], CONFUSION_ORDER)!.report.accuracy).toBeCloseTo(0.3)
    expect(majorityBaseline([70, 0, 30], [0, 0, 0], CONFUSION_ORDER)!.label).toBe('negative')
    expect(majorityBaseline([0, 0, 0], [1, 2, 3], CONFUSION_ORDER)).toBeNull()
  })

  it("takes the pool's class mix from the run's prior over balanced labels: a newcomer's 7/7/6 does not make 'always neutral' the bar", () => {
    // Test posts 4 negative, 3 neutral, 13 positive (MVSA-like); her labels 6 negative, 7 neutral, 7 positive.
    const labels = [6, 7, 7]
    const prior = { source: 'estimate', pool: [0.2, 0.15, 0.65] }
    expect(majorityBaseline([4, 3, 13], majorityBasis(labels, prior), CONFUSION_ORDER)).toMatchObject({ label: 'positive', report: { accuracy: 0.65 } })
    // Without a prior (or with it switched off) the labels decide, as before.
    expect(majorityBaseline([4, 3, 13], majorityBasis(labels, null), CONFUSION_ORDER)!.label).toBe('neutral')
    expect(majorityBaseline([4, 3, 13], majorityBasis(labels, { ...prior, source: 'off' }), CONFUSION_ORDER)!.label).toBe('neutral')
  })

  it('reads the true classes off a confusion matrix’s rows', () => {
    expect(truthCounts([[3, 1, 0], [0, 2, 0], [1, 1, 5]])).toEqual([4, 2, 7])
  })
})

const run = (accuracy: number): RunSummary =>
  ({
    id: 1,
    projectId: 1,
    test: { accuracy, weightedF1: accuracy, macroF1: accuracy },
    baselines: { majority: { label: 'positive', test: { accuracy: 0.64, weightedF1: 0.5, macroF1: 0.26 } }, probe: null },
  }) as RunSummary

describe('a run beside its baselines', () => {
  it('warns when the test accuracy does not beat always-majority, and not when it does', () => {
    expect(baselineWarning(run(0.43).test, run(0.43).baselines)).toMatch(/^Test accuracy 43\.0% does not beat Always “positive” \(majority class\) at 64\.0%/)
    expect(baselineWarning(run(0.71).test, run(0.71).baselines)).toBeNull()
  })

  it('keeps the latest probe beside the database and adds its text + image row to runs with test scores', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cg-probe-')), 'project-1', 'probe.json')
    expect(loadProbe(file)).toBeNull()
    const both = { accuracy: 0.7, weightedF1: 0.68, macroF1: 0.55, confusion: [] }
    const report = {
      projectId: 1,
      pair: { id: 'default' },
      counts: { train: 100, val: 10, test: 40 },
      rows: [{ features: 'both', dim: 8, c: 1, val: null, test: both, durationMs: 1 }],
      majority: null,
    } as unknown as ProbeReport
    saveProbe(file, report)
    const withProbe = withProbeBaseline(run(0.66), loadProbe(file))
    expect(withProbe.baselines!.probe).toEqual({ encoder: 'default', n: 40, test: { accuracy: 0.7, weightedF1: 0.68, macroF1: 0.55 } })
    expect(baselineWarning(withProbe.test, withProbe.baselines)).toMatch(/does not beat Linear probe, text \+ image \(default\) at 70\.0%/)
    // A run without test scores has no baselines to add to.
    expect(withProbeBaseline({ id: 2 } as RunSummary, loadProbe(file)).baselines).toBeUndefined()
  })
})
