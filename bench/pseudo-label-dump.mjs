// `node bench/pseudo-label-dump.mjs ROOT OUT.json`: trains tiny runs of each method on a synthetic project with
// ROOT's code (a checkout, e.g. `git archive COMMIT | tar -x -C DIR` with node_modules linked) and
// writes every pseudo-label (post, label, confidence, head guesses, modality, PLF verdict, loss), so
// two commits' pseudo-labels can be compared (the synthetic project of training-trainer.test.ts).
import { register } from 'tsx/esm/api'
import { writeFileSync } from 'node:fs'
register()
const [root, out] = process.argv.slice(2)
const { initBackend } = await import(`${root}/src/main/ml/tfjs-backend.ts`)
const { makeConfig } = await import(`${root}/src/main/training/config.ts`)
const { syntheticProblem } = await import(`${root}/src/main/training/synthetic.ts`)
const { train } = await import(`${root}/src/main/training/trainer.ts`)
await initBackend({ skipNative: true })
const data = syntheticProblem({ seed: 3, train: 240, labeled: 24, val: 60, test: 60, dimTxt: 12, dimImg: 10, noise: 0.6, disagreement: 0.2, variants: 2 })
const result = {}
for (const method of ['self-training', 'supervised', 'fixmatch', 'scdr']) {
  const config = makeConfig('default', { method, steps: 24, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 8, checkpointEvery: 8, stepsPerEpoch: 4, scdr: { plfEpochs: 2 } })
  const r = await train({ config, data })
  result[method] = r.pseudoLabels.map((p) => [p.postId, p.label, p.confidence, p.text, p.image, p.selected, p.plf, p.loss])
}
writeFileSync(out, JSON.stringify(result))
