// Limited-memory BFGS with a backtracking (Armijo) line search: deterministic, allocation-free per
// iteration, and a fixed iteration budget, so a fit always ends and always ends the same way.

/** Writes the gradient at `x` into `grad` and returns the objective's value there. */
export type Objective = (x: Float64Array, grad: Float64Array) => number

export interface LbfgsOptions {
  maxIterations: number
  /** Correction pairs kept. */
  memory?: number
  /** Stop once the largest gradient component is below this. */
  gradientTolerance?: number
}

export interface LbfgsResult {
  x: Float64Array
  value: number
  iterations: number
  converged: boolean
}

const ARMIJO = 1e-4
const MAX_BACKTRACKS = 30

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!))
  return m
}

/** Minimises `f` from `x0` (left untouched). */
export function minimize(f: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length
  const memory = options.memory ?? 10
  const tolerance = options.gradientTolerance ?? 1e-5
  const s = Array.from({ length: memory }, () => new Float64Array(n))
  const y = Array.from({ length: memory }, () => new Float64Array(n))
  const rho = new Float64Array(memory)
  const alpha = new Float64Array(memory)
  let stored = 0
  let newest = -1

  let x = Float64Array.from(x0)
  let g = new Float64Array(n)
  let value = f(x, g)
  let xNext = new Float64Array(n)
  let gNext = new Float64Array(n)
  const direction = new Float64Array(n)

  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (maxAbs(g) < tolerance) return { x, value, iterations: iteration, converged: true }

    // Two-loop recursion: direction = -H·g from the stored pairs, newest first.
    for (let i = 0; i < n; i++) direction[i] = -g[i]!
    for (let k = 0; k < stored; k++) {
      const j = (newest - k + memory) % memory
      alpha[j] = rho[j]! * dot(s[j]!, direction)
      const yj = y[j]!
      for (let i = 0; i < n; i++) direction[i]! -= alpha[j]! * yj[i]!
    }
    if (stored > 0) {
      const scale = dot(s[newest]!, y[newest]!) / dot(y[newest]!, y[newest]!)
      for (let i = 0; i < n; i++) direction[i]! *= scale
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (newest - k + memory) % memory
      const beta = rho[j]! * dot(y[j]!, direction)
      const sj = s[j]!
      for (let i = 0; i < n; i++) direction[i]! += (alpha[j]! - beta) * sj[i]!
    }

    let slope = dot(g, direction)
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      stored = 0
      for (let i = 0; i < n; i++) direction[i] = -g[i]!
      slope = -dot(g, g)
    }
    let step = stored === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1
    let nextValue = Infinity
    let backtracks = 0
    for (; backtracks < MAX_BACKTRACKS; backtracks++) {
      for (let i = 0; i < n; i++) xNext[i] = x[i]! + step * direction[i]!
      nextValue = f(xNext, gNext)
      if (nextValue <= value + ARMIJO * step * slope) break
      step /= 2
    }
    if (backtracks === MAX_BACKTRACKS) return { x, value, iterations: iteration, converged: false }

    newest = (newest + 1) % memory
    const sNew = s[newest]!
    const yNew = y[newest]!
    for (let i = 0; i < n; i++) {
      sNew[i] = xNext[i]! - x[i]!
      yNew[i] = gNext[i]! - g[i]!
    }
    const sy = dot(sNew, yNew)
    if (sy > 1e-12) {
      rho[newest] = 1 / sy
      stored = Math.min(stored + 1, memory)
    } else {
      // A pair without positive curvature would break the update: forget it.
      newest = (newest - 1 + memory) % memory
    }
    ;[x, xNext] = [xNext, x]
    ;[g, gNext] = [gNext, g]
    value = nextValue
  }
  return { x, value, iterations: options.maxIterations, converged: maxAbs(g) < tolerance }
}
