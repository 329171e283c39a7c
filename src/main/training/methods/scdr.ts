// One SCDR training step on cached features (ALGORITHMS §1.4, §8.1). A batch stacks the labeled
// rows (L, weak view), the unlabeled rows in the weak view (W), the strong view s0 (S0) and, when
// configured, s1 (S1): all views go through the encoders in one pass. Heads and attention run in
// two groups: L + S0, whose outputs enter losses, and W (+ the label filter's L rows), whose
// outputs only make pseudo-labels and masks and are read back as numbers, so their ops fall
// outside the gradient and cost no backward pass.
import * as tf from '@tensorflow/tfjs'
import type { StepStats } from '#shared/runs'
import { inPlfPhase, type TrainingConfig } from '../config'
import { maskedBatchMean, meanCE, mse, ordinalHingeLoss, orthogonality, perSampleCE, subsetMean } from '../losses'
import { attend, encode, head, headLayers, scdrSpecs, selectorLogits, type Encoded, type ScdrDims } from '../models/scdr'
import { attendRegions, attentionFocus, splitImage } from '../models/text-guided'
import { linear } from '../ops/linear'
import type { Weights } from '../params'
import { shiftLogits } from '../prior'
import { COMMON, confidence, crossEntropyRows, labelFilterMask, plfDrops, thresholdMask } from '../pseudo-label-rules'
import { teacherTerm } from '../teacher/loss'
import type { TeacherTargets } from '../teacher/teacher'
import { classTargets, labelShift, type UlgmBank } from '../ulgm'
import { interModalStep, intraModalTerms } from './spp-scl'
import { detach, mean, oneHot, rows, type Batch, type FollowUp, type Method, type Predictions, type StepContext } from './method'

const sum = (...xs: tf.Tensor[]): tf.Scalar => tf.addN(xs) as tf.Scalar

const argmaxRows = (logits: Float32Array, classes: number): Int32Array => confidence(logits, classes).label

/** Mean of `values` over the rows where mask is 1 (0 when none): the JS twin of losses.subsetMean. */
function subsetMeanOf(values: Float32Array, mask: Float32Array): number {
  let sum = 0
  let n = 0
  for (let i = 0; i < values.length; i++) {
    if (!mask[i]) continue
    sum += values[i]!
    n++
  }
  return n === 0 ? 0 : sum / n
}

/** Selector logits on a constant copy of [s_t; s_v; c_m]: no gradient reaches the features through it. */
const selectorOn = (w: Weights, e: Encoded, start: number, count: number): tf.Tensor2D =>
  selectorLogits(w, detach(tf.concat([rows(e.s.t, start, count), rows(e.s.v, start, count), rows(e.c.m, start, count)], 1)))

/**
 * The supervised selector's target per labeled post: the token whose own head explains the label
 * best (lowest CE of Ct(s_t), Cv(s_v), Cm(c_m)), i.e. the dominant source of the sentiment.
 */
export function selectorTargets(ceText: Float32Array, ceImage: Float32Array, ceCommon: Float32Array): Int32Array {
  return Int32Array.from(ceText, (t, i) => {
    const candidates = [t, ceImage[i]!, ceCommon[i]!]
    return candidates.indexOf(Math.min(...candidates))
  })
}

/** The text and image projections x_t = P_t·h, x_v = P_v·h of the labeled rows, re-forwarded with the current weights. */
const labeledProjections = (w: Weights, batch: Batch): { t: tf.Tensor2D; v: tf.Tensor2D } => {
  const l = batch.y.length
  return {
    t: linear(rows(batch.txt, 0, l), w.get('pt') as tf.Tensor2D, undefined, { inputGrad: false }),
    v: linear(rows(batch.img, 0, l), w.get('pv') as tf.Tensor2D, undefined, { inputGrad: false }),
  }
}

/**
 * `align` (log π_u − log π_L) shifts every head's weak-view logits before they become pseudo-labels
 * (distribution alignment with the class prior). With `scdr.unimodalLabels` 'always', the text and
 * image heads learn each labeled post's label at every step, so every head is trained. With `ulgm`
 * (ALGORITHMS §4.2, §8.3) they learn its generated text and image labels instead, as class targets
 * (ulgm.ts `classTargets`), and the bank reads each head's post-layer-1 feature. With
 * `scdr.sppSclWeight` > 0, SPP-SCL's intra-modal SupCon on the labeled rows' projections joins the
 * loss and its conditional step 2 (§2.4) follows each step (methods/spp-scl.ts).
 */
export function scdrMethod(config: TrainingConfig, dims: ScdrDims, align: ArrayLike<number> = new Float32Array(dims.classes), teacher: TeacherTargets | null = null, ulgm: UlgmBank | null = null): Method {
  const s = config.scdr
  const C = dims.classes
  const trainedSelector = s.selector === 'supervised'
  const aux = s.sppSclWeight
  return {
    specs: scdrSpecs(dims, trainedSelector),
    semiSupervised: true,
    ...(ulgm ? { state: ulgm } : {}),
    ...(aux > 0
      ? {
          followUp(w: Weights, batch: Batch): FollowUp {
            const x = labeledProjections(w, batch)
            return interModalStep(config.sppScl, x.t, x.v, dims.hidden, batch.y, aux)
          },
        }
      : {}),
    parts: (labeled, unlabeled) => ({
      labeled: [{ rows: labeled, view: 'weak' }],
      unlabeled: [
        { rows: unlabeled, view: 'weak' },
        { rows: unlabeled, view: 'strong0' },
        ...(s.s1View === 'decoupling' ? [{ rows: unlabeled, view: 'strong1' as const }] : []),
      ],
    }),

    step(w: Weights, batch: Batch, ctx: StepContext) {
      const l = batch.y.length
      const u = batch.unlabeled.length
      const early = inPlfPhase(config, ctx)
      const alwaysUnimodal = s.unimodalLabels === 'always'
      const e = encode(w, batch.txt, batch.img, dims.hidden, dims.tgf)
      const part = (t: tf.Tensor2D, which: 'L' | 'W' | 'S0'): tf.Tensor2D => rows(t, which === 'L' ? 0 : which === 'W' ? l : l + u, which === 'L' ? l : u)

      // Modal selection for L, W, S0 (S1 feeds no head).
      const g = selectorOn(w, e, 0, l + 2 * u)
      const k = argmaxRows(g.dataSync() as Float32Array, 3)
      const kL = k.subarray(0, l)
      const kW = k.subarray(l, l + u)
      const kS0 = k.subarray(l + u)

      // Heads with gradient: L and S0 stacked.
      const both = (t: tf.Tensor2D): tf.Tensor2D => tf.concat([part(t, 'L'), part(t, 'S0')])
      const sG = { t: both(e.s.t), v: both(e.s.v) }
      const f = attend(w, sG, both(e.c.m), Int32Array.from([...kL, ...kS0]))
      const layers = { t: headLayers(w, 'ct', sG.t), v: headLayers(w, 'cv', sG.v), m: headLayers(w, 'cm', f) }
      const [preT, preV, preM] = [layers.t.logits, layers.v.logits, layers.m.logits]

      // Outputs read as numbers: W's pseudo-labels and PLF inputs; L's label-filter inputs.
      const sW = { t: part(e.s.t, 'W'), v: part(e.s.v, 'W') }
      const cmW = part(e.c.m, 'W')
      const fW = attend(w, sW, cmW, kW)
      const needCommonL = trainedSelector
      const mInputs = [fW, ...(early ? [part(e.s.t, 'L'), part(e.s.v, 'L')] : []), ...(needCommonL ? [part(e.c.m, 'L')] : [])]
      const ngM = head(w, 'cm', tf.concat(mInputs)).dataSync() as Float32Array
      const ngT = head(w, 'ct', early ? tf.concat([sW.t, cmW]) : sW.t).dataSync() as Float32Array
      const ngV = head(w, 'cv', early ? tf.concat([sW.v, cmW]) : sW.v).dataSync() as Float32Array
      const read = (x: tf.Tensor2D): Float32Array => rows(x, 0, l).dataSync() as Float32Array
      const [preTL, preVL, preML] = [read(preT), read(preV), read(preM)]
      const block = (a: Float32Array, index: number, n: number): Float32Array => a.subarray(index * C * u, index * C * u + n * C)

      const y = batch.y
      const ceM = crossEntropyRows(preML, C, y)
      const lmValue = mean(ceM)
      const stats: StepStats = {}
      let lsupValue = lmValue
      let maskTL: Float32Array = new Float32Array(l)
      let maskVL: Float32Array = new Float32Array(l)
      // ULGM: the text and image heads' labeled term is CE on the generated labels (before this batch's update).
      const generated = ulgm ? ulgm.targets(batch.labeled) : null
      const ulgmTerms = generated
        ? {
            t: meanCE(rows(preT, 0, l), tf.tensor2d(classTargets(generated.t), [l, C])),
            v: meanCE(rows(preV, 0, l), tf.tensor2d(classTargets(generated.v), [l, C])),
          }
        : null
      if (ulgmTerms) {
        const [lt, lv] = tf.stack([ulgmTerms.t, ulgmTerms.v]).dataSync()
        lsupValue += config.ulgm.weight * (lt! + lv!)
        Object.assign(stats, { ulgmText: lt!, ulgmImage: lv! })
      } else if (alwaysUnimodal) {
        maskTL = new Float32Array(l).fill(1)
        maskVL = new Float32Array(l).fill(1)
        lsupValue += mean(crossEntropyRows(preTL, C, y)) + mean(crossEntropyRows(preVL, C, y))
      } else if (early) {
        // (b) the label filter: m-head on each private feature alone vs 0.5·L_m.
        const threshold = s.labelFilterFactor * lmValue
        const tInM = ngM.subarray(u * C, (u + l) * C)
        const vInM = ngM.subarray((u + l) * C, (u + 2 * l) * C)
        maskTL = labelFilterMask(crossEntropyRows(tInM, C, y), threshold)
        maskVL = labelFilterMask(crossEntropyRows(vInM, C, y), threshold)
        lsupValue += subsetMeanOf(crossEntropyRows(preTL, C, y), maskTL) + subsetMeanOf(crossEntropyRows(preVL, C, y), maskVL)
        stats.labelFilterText = mean(maskTL)
        stats.labelFilterImage = mean(maskVL)
      }

      // (c)–(e) pseudo-labels from the weak view, PLF, fixed-threshold masks.
      const pm = confidence(shiftLogits(ngM.subarray(0, u * C), align), C)
      const pt = confidence(shiftLogits(block(ngT, 0, u), align), C)
      const pv = confidence(shiftLogits(block(ngV, 0, u), align), C)
      let dropped = 0
      if (early) {
        const ceText = crossEntropyRows(block(ngT, 1, u), C, pt.label)
        const ceImage = crossEntropyRows(block(ngV, 1, u), C, pv.label)
        const threshold = s.plfFactor * lsupValue
        for (let i = 0; i < u; i++) {
          if (plfDrops({ selected: kW[i]!, ceText: ceText[i]!, ceImage: ceImage[i]!, threshold })) {
            pm.score[i] = 0
            dropped++
          }
        }
      }
      const maskM = thresholdMask(pm.score, config.threshold)
      const maskT = thresholdMask(pt.score, config.threshold)
      const maskV = thresholdMask(pv.score, config.threshold)

      // The loss, (a)–(h).
      const yHot = oneHot(y, C)
      const lm = meanCE(rows(preM, 0, l), yHot)
      const lsup = ulgmTerms
        ? sum(lm, tf.mul(tf.add(ulgmTerms.t, ulgmTerms.v), config.ulgm.weight))
        : early || alwaysUnimodal
          ? sum(lm, subsetMean(perSampleCE(rows(preT, 0, l), yHot), maskTL), subsetMean(perSampleCE(rows(preV, 0, l), yHot), maskVL)) : lm
      const consistency = (logits: tf.Tensor2D, labels: Int32Array, mask: Float32Array): tf.Scalar =>
        maskedBatchMean(perSampleCE(rows(logits, l, u), oneHot(labels, C)), tf.tensor1d(mask))
      const lu = sum(consistency(preM, pm.label, maskM), consistency(preT, pt.label, maskT), consistency(preV, pv.label, maskV))
      const lrec = sum(mse(e.r.t, e.x.t), mse(e.r.v, e.x.v))
      const lcyc = sum(mse(e.s.t, e.sr.t), mse(e.s.v, e.sr.v))
      const lort = sum(orthogonality(e.s.t, e.c.t), orthogonality(e.s.v, e.c.v))
      const common = tf.concat([part(e.c.t, 'L'), part(e.c.v, 'L'), part(e.c.t, 'W'), part(e.c.v, 'W')])
      // Unlabeled ids are the raw argmax, unmasked (§1.4 g).
      const lsim = ordinalHingeLoss(common, [...y, ...y, ...pm.label, ...pm.label], s.hingeMargin)
      const terms: tf.Tensor[] = [lsup, tf.mul(lu, config.lambdaU), lrec, lcyc, tf.mul(sum(lsim, lort), s.decouplingWeight)]
      // A teacher's labels supervise the student branch's head on the strong view: Cv(s_v) (image) or Ct(s_t).
      const taught = teacher ? teacherTerm(teacher, rows(teacher.student === 'image' ? preV : preT, l, u), batch.unlabeled, C) : null
      if (taught) terms.push(taught.loss)
      const intra = aux > 0 ? intraModalTerms(config.sppScl, rows(e.x.t, 0, l), rows(e.x.v, 0, l), y, aux) : null
      if (intra) terms.push(intra.loss)
      let lsel: tf.Scalar | null = null
      if (trainedSelector) {
        const ceCommon = crossEntropyRows(ngM.subarray((early ? u + 2 * l : u) * C), C, y)
        const target = selectorTargets(crossEntropyRows(preTL, C, y), crossEntropyRows(preVL, C, y), ceCommon)
        lsel = meanCE(rows(g, 0, l), oneHot(target, 3))
        terms.push(tf.mul(lsel, s.selectorWeight))
      }
      const loss = sum(...terms)

      const named = { loss, lsup, lm, lu, lrec, lcyc, lort, lsim, ...(lsel ? { lsel } : {}), ...(taught ? { lteacher: taught.loss } : {}) }
      const values = tf.stack(Object.values(named)).dataSync()
      for (const [i, name] of (Object.keys(named) as (keyof typeof named)[]).entries()) stats[name] = values[i]!
      if (intra) Object.assign(stats, intra.stats)
      if (ulgm) {
        // §8.3 after the loss: the labels move (from epoch 2), then the features enter the banks.
        const feature = (x: tf.Tensor2D): Float32Array => rows(x, 0, l).dataSync() as Float32Array
        ulgm.update(batch.labeled, { m: feature(layers.m.hidden), t: feature(layers.t.hidden), v: feature(layers.v.hidden) }, ctx.epoch + 1)
        stats.ulgmShift = labelShift(batch.labeled, ulgm)
      }
      Object.assign(stats, {
        maskM: mean(maskM),
        maskT: mean(maskT),
        maskV: mean(maskV),
        plfDropped: dropped / u,
        ...(taught ? { teacherMask: taught.rate } : {}),
        selectedText: mean(Float32Array.from(kW, (x) => (x === 0 ? 1 : 0))),
        selectedImage: mean(Float32Array.from(kW, (x) => (x === 1 ? 1 : 0))),
        selectedCommon: mean(Float32Array.from(kW, (x) => (x === COMMON ? 1 : 0))),
      })
      // Text-guided fusion: how focused x_t's attention over the regions is on the labeled rows (a curve).
      if (dims.tgf) stats.tgfFocus = attentionFocus(attendRegions(w, part(e.x.t, 'L'), splitImage(rows(batch.img, 0, l), dims.tgf.layout).regions, dims.tgf.layout.cells, dims.tgf.heads).weights)
      return { loss, stats }
    },

    predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions {
      const e = encode(w, txt, img, dims.hidden, dims.tgf)
      const n = txt.shape[0]
      const selected = argmaxRows(selectorOn(w, e, 0, n).dataSync() as Float32Array, 3)
      const logits = head(w, 'cm', attend(w, e.s, e.c.m, selected))
      const text = head(w, 'ct', tf.concat([e.s.t, e.c.m]))
      const image = head(w, 'cv', tf.concat([e.s.v, e.c.m]))
      const half = (t: tf.Tensor2D, second: boolean): Float32Array => rows(t, second ? n : 0, n).dataSync() as Float32Array
      return {
        logits: logits.dataSync() as Float32Array,
        text: half(text, false),
        image: half(image, false),
        selected,
        textOnCommon: half(text, true),
        imageOnCommon: half(image, true),
      }
    },
  }
}
