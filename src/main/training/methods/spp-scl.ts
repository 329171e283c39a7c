// SPP-SCL on cached features (ALGORITHMS §2.3–2.4, §8.2): step 1 is 5·CE plus the intra-modal
// SupCon of the text and image projections; after its update the batch is forwarded again (new
// dropout masks) and the inter-modal SupCon is applied only when the statement of §2.4 is false.
// Trained on the labeled posts alone; with labels mode 'current' those include accepted pseudo-labels.
import * as tf from '@tensorflow/tfjs'
import type { StepStats } from '#shared/runs'
import type { TrainingConfig } from '../config'
import { statementCheck, supConInter, supConIntra } from '../contrastive'
import { meanCE } from '../losses'
import { noDropout, seededDropout, sppSclForward, sppSclSpecs, type SppSclDims } from '../models/spp-scl'
import type { Weights } from '../params'
import { oneHot, type Batch, type FollowUp, type Method, type Predictions, type StepContext, type StepOutput } from './method'

/** The dropout seed of a step's forward pass (0: step 1, 1: step 2's re-forward). */
const passSeed = (config: TrainingConfig, step: number, pass: 0 | 1): number => ((config.seed % 100_003) * 1_000_003 + step) * 2 + pass

export function sppSclMethod(config: TrainingConfig, dims: SppSclDims): Method {
  const s = config.sppScl
  const C = dims.classes
  return {
    specs: sppSclSpecs(dims, s),
    semiSupervised: false,
    parts: (labeled) => ({ labeled: [{ rows: labeled, view: 'weak' }], unlabeled: [] }),

    step(w: Weights, batch: Batch, ctx: StepContext): StepOutput {
      const out = sppSclForward(w, batch.txt, batch.img, seededDropout(s.dropout, passSeed(config, ctx.step, 0)))
      const ce = meanCE(out.logits, oneHot(batch.y, C))
      const text = supConIntra(out.tp, batch.y, s.temperature)
      const image = supConIntra(out.ip, batch.y, s.temperature)
      const loss = tf.addN([tf.mul(ce, s.ceWeight), tf.mul(text, s.textWeight), tf.mul(image, s.imageWeight)]) as tf.Scalar
      const [l, lx, sclText, sclImage] = tf.stack([loss, ce, text, image]).dataSync()
      return { loss, stats: { loss: l!, lx: lx!, sclText: sclText!, sclImage: sclImage! } }
    },

    followUp(w: Weights, batch: Batch, ctx: StepContext): FollowUp {
      const { tp, ip } = sppSclForward(w, batch.txt, batch.img, seededDropout(s.dropout, passSeed(config, ctx.step, 1)), 'projections')
      const check = statementCheck(tp.dataSync() as Float32Array, ip.dataSync() as Float32Array, s.dim, batch.y)
      const inter = supConInter(tp, ip, batch.y, s.temperature)
      const loss = tf.mul(inter, s.interWeight) as tf.Scalar
      const stats: StepStats = { interStep: check.skip ? 0 : 1 }
      if (!check.skip) Object.assign(stats, { loss: loss.dataSync()[0]!, sclInter: inter.dataSync()[0]! })
      return { loss, apply: !check.skip, stats }
    },

    predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions {
      return { logits: sppSclForward(w, txt, img, noDropout).logits.dataSync() as Float32Array }
    },
  }
}
