// The trainer's randomness: weight initialisation, batch draws and feature dropout. A checkpoint
// must carry the generator's state so a resumed run draws the same batches as an uninterrupted
// one, hence a generator whose state is plain data (sfc32: four 32-bit words) rather than a closure.

export type RngState = [number, number, number, number]

export class Rng {
  private s: RngState

  constructor(seed: number, stream = 0) {
    this.s = [0x9e3779b9, seed >>> 0, stream >>> 0, 1]
    // sfc32's recommended warm-up: mix the seed words before the first draw.
    for (let i = 0; i < 15; i++) this.nextUint32()
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0)
    rng.s = [...state]
    return rng
  }

  get state(): RngState {
    return [...this.s]
  }

  nextUint32(): number {
    let [a, b, c, d] = this.s
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    this.s = [a, b, c, d]
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }
}
