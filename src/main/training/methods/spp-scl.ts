// SPP-SCL on cached features (ALGORITHMS §2.3–2.4, §8.2): step 1 is 5·CE plus the intra-modal
// SupCon of the text and image projections; after its update the batch is forwarded again (new
// dropout masks) and the inter-modal SupCon is applied only when the statement of §2.4 is false.
// Trained on the labeled posts alone; with labels mode 'current' those include accepted pseudo-labels.
import * as tf from '@tensorflow/tfjs'
import type { StepStats } from '#shared/runs'
import type { SppSclSettings, TrainingConfig } from '../config'
import { statementCheck, supConInter, supConIntra } from '../contrastive'
import { meanCE } from '../losses'
import { noDropout, seededDropout, sppSclForward, sppSclSpecs, type SppSclDims } from '../models/spp-scl'
import type { Weights } from '../params'
import { oneHot, type Batch, type FollowUp, type Method, type Predictions, type StepContext, type StepOutput } from './method'

/** textWeight·SupCon(T) + imageWeight·SupCon(I), times `factor` (1 in SPP-SCL; SCDR's sppSclWeight when an auxiliary loss). */
export function intraModalTerms(s: SppSclSettings, tp: tf.Tensor2D, ip: tf.Tensor2D, y: ArrayLike<number>, factor = 1): { loss: tf.Scalar; stats: StepStats } {
  const text = supConIntra(tp, y, s.temperature)
  const image = supConIntra(ip, y, s.temperature)
  const loss = tf.mul(tf.add(tf.mul(text, s.textWeight), tf.mul(image, s.imageWeight)), factor) as tf.Scalar
  const [sclText, sclImage] = tf.stack([text, image]).dataSync()
  return { loss, stats: { sclText: sclText!, sclImage: sclImage! } }
}

/**
 * Step 2 on re-forwarded projections (B×dim each): the statement of §2.4 decides whether the update
 * is made; its loss is factor·interWeight·SupCon(T → I).
 */
export function interModalStep(s: SppSclSettings, tp: tf.Tensor2D, ip: tf.Tensor2D, dim: number, y: ArrayLike<number>, factor = 1): FollowUp {
  const check = statementCheck(tp.dataSync() as Float32Array, ip.dataSync() as Float32Array, dim, y)
  const inter = supConInter(tp, ip, y, s.temperature)
  const loss = tf.mul(inter, s.interWeight * factor) as tf.Scalar
  const stats: StepStats = { interStep: check.skip ? 0 : 1 }
  if (!check.skip) Object.assign(stats, { loss: loss.dataSync()[0]!, sclInter: inter.dataSync()[0]! })
  return { loss, apply: !check.skip, stats }
}

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
      const intra = intraModalTerms(s, out.tp, out.ip, batch.y)
      const loss = tf.add(tf.mul(ce, s.ceWeight), intra.loss) as tf.Scalar
      const [l, lx] = tf.stack([loss, ce]).dataSync()
      return { loss, stats: { loss: l!, lx: lx!, ...intra.stats } }
    },

    followUp(w: Weights, batch: Batch, ctx: StepContext): FollowUp {
      const { tp, ip } = sppSclForward(w, batch.txt, batch.img, seededDropout(s.dropout, passSeed(config, ctx.step, 1)), 'projections')
      return interModalStep(s, tp, ip, s.dim, batch.y)
    },

    predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions {
      return { logits: sppSclForward(w, txt, img, noDropout).logits.dataSync() as Float32Array }
    },
  }
}
