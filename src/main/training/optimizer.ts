// The parameter update, written out rather than taken from tf.train: weight decay must skip
// biases (§1.6), and a checkpoint must hold every slot by parameter name.
// SGD follows torch.optim.SGD (decay added to the gradient, nesterov), Adam torch.optim.Adam
// (decay as L2 in the gradient), AdamW torch.optim.AdamW (decoupled decay).
import * as tf from '@tensorflow/tfjs'
import type { OptimizerName } from '#shared/runs'
import { copy, type NamedArrays, type ParamSpec } from './params'

export interface OptimizerSettings {
  name: OptimizerName
  momentum: number
  nesterov: boolean
  weightDecay: number
  beta1: number
  beta2: number
  epsilon: number
}

export class Optimizer {
  /** Slot tensors by `<param>/<slot>`: momentum buffer for SGD, first and second moments for Adam. */
  private readonly slots = new Map<string, tf.Tensor>()
  private t = 0

  constructor(
    private readonly settings: OptimizerSettings,
    private readonly specs: readonly ParamSpec[],
    private readonly variables: ReadonlyMap<string, tf.Variable>,
  ) {
    const names = settings.name === 'sgd' ? ['momentum'] : ['m', 'v']
    for (const s of specs) for (const slot of names) this.slots.set(`${s.name}/${slot}`, tf.keep(tf.zeros(s.shape)))
  }

  /** One update with learning rate `lr`; `grads` holds a gradient for every trainable parameter. */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    this.t++
    const { name, momentum, nesterov, weightDecay, beta1, beta2, epsilon } = this.settings
    for (const spec of this.specs) {
      const p = this.variables.get(spec.name)!
      const g = grads.get(spec.name)!
      const decay = spec.decay ? weightDecay : 0
      const replace = (slot: string, value: tf.Tensor): void => {
        const key = `${spec.name}/${slot}`
        this.slots.get(key)!.dispose()
        this.slots.set(key, tf.keep(value))
      }
      tf.tidy(() => {
        if (name === 'sgd') {
          const d = decay > 0 ? tf.add(g, tf.mul(p, decay)) : g
          const buf = tf.add(tf.mul(this.slots.get(`${spec.name}/momentum`)!, momentum), d)
          replace('momentum', buf)
          p.assign(tf.sub(p, tf.mul(nesterov ? tf.add(d, tf.mul(buf, momentum)) : buf, lr)))
          return
        }
        const base = name === 'adamw' && decay > 0 ? tf.mul(p, 1 - lr * decay) : p
        const d = name === 'adam' && decay > 0 ? tf.add(g, tf.mul(p, decay)) : g
        const m = tf.add(tf.mul(this.slots.get(`${spec.name}/m`)!, beta1), tf.mul(d, 1 - beta1))
        const v = tf.add(tf.mul(this.slots.get(`${spec.name}/v`)!, beta2), tf.mul(tf.square(d), 1 - beta2))
        replace('m', m)
        replace('v', v)
        const stepSize = lr / (1 - beta1 ** this.t)
        const denom = tf.add(tf.sqrt(tf.div(v, 1 - beta2 ** this.t)), epsilon)
        p.assign(tf.sub(base, tf.mul(tf.div(m, denom), stepSize)))
      })
    }
  }

  /** Slots and the step count, for a checkpoint. */
  state(): { t: number; slots: NamedArrays } {
    return { t: this.t, slots: Object.fromEntries([...this.slots].map(([k, v]) => [k, copy(v)])) }
  }

  restore(state: { t: number; slots: NamedArrays }): void {
    this.t = state.t
    for (const [key, old] of this.slots) {
      this.slots.set(key, tf.keep(tf.tensor(state.slots[key]!, old.shape)))
      old.dispose()
    }
  }

  dispose(): void {
    for (const t of this.slots.values()) t.dispose()
  }
}
