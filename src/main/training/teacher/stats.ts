// What a teacher did, for the run's details: labels kept per class and their accuracy on posts whose
// label is known (logged only, as SCRD logs its unlabeled posts' true labels).

export interface KeptStats {
  /** Kept labels per class. */
  kept: number[]
  /** Kept rows with a known label (known[i] ≥ 0), and how many of them match it. */
  known: number
  correct: number
  accuracy: number | null
}

/** `known` holds a class index per row, or −1 where the label is unknown. */
export function keptStats(label: ArrayLike<number>, keep: ArrayLike<number>, known: ArrayLike<number>, classes: number): KeptStats {
  const kept = new Array<number>(classes).fill(0)
  let seen = 0
  let correct = 0
  for (let i = 0; i < label.length; i++) {
    if (!keep[i]) continue
    kept[label[i]!]!++
    const truth = known[i]!
    if (truth < 0) continue
    seen++
    if (truth === label[i]) correct++
  }
  return { kept, known: seen, correct, accuracy: seen === 0 ? null : correct / seen }
}
