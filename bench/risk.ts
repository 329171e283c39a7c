// Does the review queue's order find the wrong pseudo-labels, and is bulk accept's default safe?
// Trains runs on a copy of a store whose train posts all carry known labels (MVSA), hides all but
// the drawn subset from the trainer, and scores every risk signal against "this pseudo-label is
// wrong" on the unlabeled train posts: AUROC per signal, the error rate of the 100 riskiest against
// the rest, bulk-accept precision at the default confidence, the top 30 % by confidence.
//
//   node bin/run-ts.mjs bench/risk.ts --db COPY.db [--project mvsa] [--methods supervised,scdr]
//     [--seeds 1,2,3] [--draw per-class] [--labels 600] [--encoder default] [--out FILE.json]
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { BULK_ACCEPT_DEFAULT } from '#shared/calibration'
import type { PresetName, RunMethod } from '#shared/runs'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { openDatabase } from '#main/db/store'
import { auroc } from '#main/ml/auroc'
import { riskOf } from '#main/ml/risk-model'
import { makeConfig } from '#main/training/config'
import type { SubsetMode } from '#main/training/labeled-subset'
import { loadTrainingData } from '#main/training/load-data'
import { train } from '#main/training/trainer'
import { pseudoLabelList } from '#main/training/evaluate'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    project: { type: 'string', default: 'mvsa' },
    methods: { type: 'string', default: 'supervised,scdr' },
    seeds: { type: 'string', default: '1,2,3' },
    draw: { type: 'string', default: 'per-class' },
    labels: { type: 'string', default: '600' },
    encoder: { type: 'string', default: 'default' },
    preset: { type: 'string', default: 'default' },
    out: { type: 'string' },
  },
})
if (!values.db) throw new Error('--db FILE is required (a copy of a store with cached features and known train labels)')

const db = openDatabase(values.db, { readonly: true })
const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(values.project!)
if (!project) throw new Error(`--project ${values.project}: no such project in ${values.db}`)
const truthOf = new Map(
  db
    .prepare<[number], { id: number; label: Sentiment | null }>("SELECT id, label_overall AS label FROM posts WHERE project_id = ? AND split = 'train'")
    .all(project.id)
    .filter((r) => r.label !== null)
    .map((r) => [r.id, r.label!]),
)

interface RunRisk {
  method: string
  seed: number
  temperature: number
  riskSource: string
  riskModel: unknown
  posts: number
  accuracy: number
  neutralShare: number
  auroc: Record<string, number>
  top100: { errorRate: number; restErrorRate: number; ratio: number }
  oldTop100Ratio: number
  bulk: { threshold: number; count: number; precision: number; coverage: number }
  top30: { threshold: number; precision: number }
  /** Expected calibration error (10 equal-width bins) of the calibrated confidence. */
  ece: number
}

function topRatio(scores: number[], wrong: boolean[], k: number): RunRisk['top100'] {
  const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!)
  const top = order.slice(0, k)
  const rest = order.slice(k)
  const rate = (rows: number[]) => rows.filter((i) => wrong[i]).length / Math.max(1, rows.length)
  return { errorRate: rate(top), restErrorRate: rate(rest), ratio: rate(top) / rate(rest) }
}

function ece(conf: number[], right: boolean[]): number {
  let total = 0
  for (let b = 0; b < 10; b++) {
    const rows = conf.map((c, i) => i).filter((i) => (b === 9 ? conf[i]! >= b / 10 : conf[i]! >= b / 10 && conf[i]! < (b + 1) / 10))
    if (rows.length === 0) continue
    const acc = rows.filter((i) => right[i]).length / rows.length
    const mean = rows.reduce((a, i) => a + conf[i]!, 0) / rows.length
    total += (rows.length / conf.length) * Math.abs(acc - mean)
  }
  return total
}

/** The order before issue 11: 0.35·doubt + 0.25·PLF filtered + 0.20·heads disagree + 0.20·(1 − e^−strong loss). */
function oldRisk(confidence: number, filtered: boolean, disagree: boolean, loss: number): number {
  const doubt = Math.min(1, Math.max(0, (1 - confidence) / (2 / 3)))
  return 0.35 * doubt + 0.25 * (filtered ? 1 : 0) + 0.2 * (disagree ? 1 : 0) + 0.2 * (loss > 0 ? 1 - Math.exp(-loss) : 0)
}

const results: RunRisk[] = []
for (const method of values.methods!.split(',') as RunMethod[]) {
  for (const seed of values.seeds!.split(',').map(Number)) {
    const config = makeConfig(values.preset as PresetName, { method, seed })
    // The prior as a run gets it by default: from the preset's extra random labels (never val/test).
    const loaded = loadTrainingData(db, { projectId: project.id, encoder: values.encoder!, labels: { mode: 'draw', n: Number(values.labels), draw: values.draw as SubsetMode, seed }, priorSample: config.prior.sample })
    if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
    const result = await train({ config, data: loaded.data })
    const drawn = new Set(loaded.subset.ids)
    const rows = pseudoLabelList(result.pseudoLabels).filter((p) => !drawn.has(p.postId) && truthOf.has(p.postId))
    const label = (p: (typeof rows)[number]): Sentiment => CONFUSION_ORDER[p.label]!
    const wrong = rows.map((p) => label(p) !== truthOf.get(p.postId))
    const conf = rows.map((p) => p.confidence)
    const risk = rows.map((p, i) => riskOf(result.calibration.risk, conf[i]!, label(p)))
    const disagree = (p: (typeof rows)[number]): boolean => p.text !== null && p.image !== null && p.text.label !== p.image.label
    const signals: Record<string, number[]> = {
      'risk (default order)': risk,
      'doubt (1 − calibrated confidence)': conf.map((c) => 1 - c),
      'proposed neutral': rows.map((p) => (label(p) === 'neutral' ? 1 : 0)),
      'proposed not positive': rows.map((p) => (label(p) === 'positive' ? 0 : 1)),
      'PLF verdict filtered': rows.map((p) => (p.plf.decision === 'filtered' ? 1 : 0)),
      'heads disagree': rows.map((p) => (disagree(p) ? 1 : 0)),
      // The strong-view loss is no longer computed at the end of a run (training/onnx/pseudo-labels.ts):
      // its row appears only for runs that have it, and the old order is scored without its loss term.
      ...(rows.every((p) => p.loss !== null) ? { 'strong-view loss': rows.map((p) => p.loss!) } : {}),
      'old fixed-weight risk': rows.map((p) => oldRisk(p.confidence, p.plf.decision === 'filtered', disagree(p), p.loss ?? 0)),
    }
    const aurocs = Object.fromEntries(Object.entries(signals).map(([k, s]) => [k, auroc(s, wrong)]))
    const bulkRows = conf.map((c, i) => i).filter((i) => conf[i]! >= BULK_ACCEPT_DEFAULT)
    const precision = (idx: number[]) => idx.filter((i) => !wrong[i]).length / Math.max(1, idx.length)
    const byConf = conf.map((c, i) => i).sort((a, b) => conf[b]! - conf[a]!)
    const top30 = byConf.slice(0, Math.round(0.3 * rows.length))
    const r: RunRisk = {
      method,
      seed,
      temperature: result.calibration.temperature,
      riskSource: result.calibration.risk.source,
      riskModel: result.calibration.risk,
      posts: rows.length,
      accuracy: 1 - wrong.filter(Boolean).length / rows.length,
      neutralShare: rows.filter((p) => label(p) === 'neutral').length / rows.length,
      auroc: aurocs,
      top100: topRatio(risk, wrong, 100),
      oldTop100Ratio: topRatio(signals['old fixed-weight risk']!, wrong, 100).ratio,
      bulk: { threshold: BULK_ACCEPT_DEFAULT, count: bulkRows.length, precision: precision(bulkRows), coverage: bulkRows.length / rows.length },
      top30: { threshold: conf[top30[top30.length - 1]!] ?? 1, precision: precision(top30) },
      ece: ece(conf, wrong.map((w) => !w)),
    }
    results.push(r)
    const f = (x: number) => x.toFixed(3)
    console.log(
      `${method.padEnd(10)} seed ${seed}  T ${f(r.temperature)} (${r.riskSource})  pseudo acc ${f(r.accuracy)}  neutral ${f(r.neutralShare)}  ` +
        `risk AUROC ${f(aurocs['risk (default order)']!)}  top-100 ${f(r.top100.errorRate)} vs ${f(r.top100.restErrorRate)} (${f(r.top100.ratio)}×; old ${f(r.oldTop100Ratio)}×)  ` +
        `bulk ≥ ${BULK_ACCEPT_DEFAULT}: ${r.bulk.count} posts ${f(r.bulk.precision)} right  top 30 % ${f(r.top30.precision)}  ECE ${f(r.ece)}  ${(result.elapsedMs / 1000).toFixed(0)} s`,
    )
    if (values.out) writeFileSync(values.out, JSON.stringify({ draw: values.draw, labels: values.labels, encoder: values.encoder, runs: results }, null, 1))
  }
}
db.close()

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
for (const method of new Set(results.map((r) => r.method))) {
  const group = results.filter((r) => r.method === method)
  console.log(`\n${method}, ${values.labels} labels ${values.draw}, seeds ${group.map((r) => r.seed).join(', ')} (means; "wrong" = the pseudo-label differs from the post's known label)`)
  console.log('| signal | AUROC vs wrong |\n|---|---|')
  for (const k of Object.keys(group[0]!.auroc)) console.log(`| ${k} | ${mean(group.map((r) => r.auroc[k]!)).toFixed(3)} |`)
  const m = (pick: (r: RunRisk) => number, d = 3) => mean(group.map(pick)).toFixed(d)
  console.log(`| top-100 riskiest error rate ÷ rest | ${m((r) => r.top100.ratio, 2)}× (${m((r) => r.top100.errorRate)} vs ${m((r) => r.top100.restErrorRate)}; old order ${m((r) => r.oldTop100Ratio, 2)}×) |`)
  console.log(`| bulk accept ≥ ${BULK_ACCEPT_DEFAULT} (calibrated) | ${m((r) => r.bulk.precision)} right, ${m((r) => r.bulk.coverage)} of posts |`)
  console.log(`| most confident 30 % | ${m((r) => r.top30.precision)} right |`)
  console.log(`| pseudo-label accuracy / neutral share | ${m((r) => r.accuracy)} / ${m((r) => r.neutralShare)} |`)
  console.log(`| temperature / ECE | ${m((r) => r.temperature)} / ${m((r) => r.ece)} |`)
}
