// The evaluation model's weights (§1.6): shadow ← m·shadow + (1 − m)·param after every step.
// SCRD re-registers the shadow at every epoch start (QUIRK); `reset` is that re-registration.
import * as tf from '@tensorflow/tfjs'
import { copy, type NamedArrays, type Weights } from './params'

export class Ema {
  readonly shadow = new Map<string, tf.Tensor>()

  constructor(readonly decay: number) {}

  /** The shadow becomes a copy of the current weights. */
  reset(weights: Weights): void {
    this.dispose()
    for (const [name, w] of weights) this.shadow.set(name, tf.keep(w.clone()))
  }

  update(weights: Weights): void {
    for (const [name, w] of weights) {
      const old = this.shadow.get(name)!
      this.shadow.set(name, tf.tidy(() => tf.add(tf.mul(old, this.decay), tf.mul(w, 1 - this.decay))))
      old.dispose()
    }
  }

  arrays(): NamedArrays {
    return Object.fromEntries([...this.shadow].map(([name, t]) => [name, copy(t)]))
  }

  restore(values: NamedArrays, weights: Weights): void {
    this.dispose()
    for (const [name, w] of weights) this.shadow.set(name, tf.keep(tf.tensor(values[name]!, w.shape)))
  }

  dispose(): void {
    for (const t of this.shadow.values()) t.dispose()
    this.shadow.clear()
  }
}
