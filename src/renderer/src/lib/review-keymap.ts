// The review queue's shortcuts, in the labeling keymap's shape (lib/keymap.ts): the key handler,
// the "?" overlay and the buttons all read this one table.
import type { Sentiment } from '#shared/vocabulary'
import { keysIn, type Binding } from './keymap'

export type ReviewKeyAction =
  | { kind: 'accept' }
  | { kind: 'correct'; label: Sentiment }
  | { kind: 'reject' }
  | { kind: 'undo' }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'help' }

export const REVIEW_KEYMAP: readonly Binding<ReviewKeyAction>[] = [
  { id: 'accept', group: 'Decide', chords: [{ key: 'a' }], action: { kind: 'accept' }, does: "Accept the model's label, then the next item" },
  { id: 'positive', group: 'Decide', chords: [{ key: '1' }], action: { kind: 'correct', label: 'positive' }, does: 'Correct to positive, then the next item' },
  { id: 'neutral', group: 'Decide', chords: [{ key: '2' }], action: { kind: 'correct', label: 'neutral' }, does: 'Correct to neutral, then the next item' },
  { id: 'negative', group: 'Decide', chords: [{ key: '3' }], action: { kind: 'correct', label: 'negative' }, does: 'Correct to negative, then the next item' },
  { id: 'reject', group: 'Decide', chords: [{ key: 'r' }], action: { kind: 'reject' }, does: 'Reject: no label for this post from this run' },
  { id: 'undo', group: 'Decide', chords: [{ key: 'z', ctrl: true }], action: { kind: 'undo' }, does: 'Undo your last decision in this run' },
  { id: 'next', group: 'Move', chords: [{ key: 'ArrowDown' }, { key: 'ArrowRight' }], action: { kind: 'next' }, does: 'Next item', repeats: true },
  { id: 'prev', group: 'Move', chords: [{ key: 'ArrowUp' }, { key: 'ArrowLeft' }], action: { kind: 'prev' }, does: 'Previous item', repeats: true },
  { id: 'help', group: 'Help', chords: [{ key: '?' }], action: { kind: 'help' }, does: 'Show these shortcuts' },
]

/** "A", "Ctrl+Z", "↓ / →": what a review button prints. */
export const reviewKeys = (id: string): string => keysIn(REVIEW_KEYMAP, id)
