// SCRD's learning-rate factor (§1.6): LambdaLR with max(0, cos(π·(7/16)·step/total)), no warm-up.
// The optimiser step of iteration `step` (0-based) uses lr · factor(step).
export const cosineFactor = (step: number, total: number): number => Math.max(0, Math.cos((Math.PI * 7 * step) / (16 * total)))
