// Every shortcut of the labeling view, in one table: the key handler looks actions up here and
// the "?" overlay and the buttons print their keys from here, so they cannot disagree. Other
// views (review) keep their own table of the same shape and use the `…In` functions.
import type { Sentiment } from '#shared/vocabulary'

export type LabelingAction =
  | { kind: 'label'; label: Sentiment }
  | { kind: 'clear' }
  | { kind: 'mode'; modality: 'text' | 'image' }
  | { kind: 'cancel' }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'help' }

/** A key as `KeyboardEvent.key` names it (letters lower case), with Ctrl (or ⌘) and Shift. */
export interface Chord {
  key: string
  ctrl?: boolean
  shift?: boolean
}

export interface Binding<A = LabelingAction> {
  id: string
  /** The overlay's heading ('Label', 'Move', 'Edit', 'Help', …). */
  group: string
  chords: Chord[]
  action: A
  /** What it does, as the overlay says it. */
  does: string
  /** Held down, it repeats (moving does; labeling does not, so a held key cannot label many posts). */
  repeats?: boolean
}

export const KEYMAP: readonly Binding[] = [
  { id: 'positive', group: 'Label', chords: [{ key: '1' }], action: { kind: 'label', label: 'positive' }, does: 'Positive: overall, then the next post (after T or I: that modality only)' },
  { id: 'neutral', group: 'Label', chords: [{ key: '2' }], action: { kind: 'label', label: 'neutral' }, does: 'Neutral: overall, then the next post (after T or I: that modality only)' },
  { id: 'negative', group: 'Label', chords: [{ key: '3' }], action: { kind: 'label', label: 'negative' }, does: 'Negative: overall, then the next post (after T or I: that modality only)' },
  { id: 'text-mode', group: 'Label', chords: [{ key: 't' }], action: { kind: 'mode', modality: 'text' }, does: 'The next digit labels the text only' },
  { id: 'image-mode', group: 'Label', chords: [{ key: 'i' }], action: { kind: 'mode', modality: 'image' }, does: 'The next digit labels the image only' },
  { id: 'clear', group: 'Label', chords: [{ key: '0' }], action: { kind: 'clear' }, does: 'Clear the label (overall, or the text/image after T or I)' },
  { id: 'cancel', group: 'Label', chords: [{ key: 'Escape' }], action: { kind: 'cancel' }, does: 'Leave text/image mode' },
  { id: 'next', group: 'Move', chords: [{ key: 'ArrowRight' }, { key: 'j' }], action: { kind: 'next' }, does: 'Next post', repeats: true },
  { id: 'prev', group: 'Move', chords: [{ key: 'ArrowLeft' }, { key: 'k' }], action: { kind: 'prev' }, does: 'Previous post', repeats: true },
  { id: 'skip', group: 'Move', chords: [{ key: 's' }], action: { kind: 'skip' }, does: 'Skip this post without labeling it' },
  { id: 'undo', group: 'Edit', chords: [{ key: 'z', ctrl: true }], action: { kind: 'undo' }, does: 'Undo your last label, on whichever post it was', repeats: true },
  { id: 'redo', group: 'Edit', chords: [{ key: 'z', ctrl: true, shift: true }, { key: 'y', ctrl: true }], action: { kind: 'redo' }, does: 'Redo what you undid', repeats: true },
  { id: 'help', group: 'Help', chords: [{ key: '?' }], action: { kind: 'help' }, does: 'Show these shortcuts' },
]

export const bindingByIdIn = <A>(map: readonly Binding<A>[], id: string): Binding<A> => map.find((b) => b.id === id)!

/** The parts of a KeyboardEvent a chord is matched against (no DOM types: unit tests run in Node). */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

const isLetter = (key: string): boolean => /^[a-z]$/i.test(key)

function matches(chord: Chord, press: KeyPress): boolean {
  const key = isLetter(press.key) ? press.key.toLowerCase() : press.key
  if (key !== chord.key || press.altKey) return false
  if ((press.ctrlKey || press.metaKey) !== (chord.ctrl ?? false)) return false
  // Shift is part of symbols such as "?", so it is compared for letters and named keys only.
  return press.key.length > 1 || isLetter(press.key) ? press.shiftKey === (chord.shift ?? false) : true
}

export const bindingFor = (press: KeyPress): Binding | null => bindingIn(KEYMAP, press)
export const bindingIn = <A>(map: readonly Binding<A>[], press: KeyPress): Binding<A> | null =>
  map.find((b) => b.chords.some((c) => matches(c, press))) ?? null

const KEY_NAMES: Record<string, string> = { ArrowRight: '→', ArrowLeft: '←', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' }

/** "Ctrl+Shift+Z", "→", "J", "?". */
export function chordText(chord: Chord): string {
  const key = KEY_NAMES[chord.key] ?? (isLetter(chord.key) ? chord.key.toUpperCase() : chord.key)
  return [chord.ctrl ? 'Ctrl' : '', chord.shift ? 'Shift' : '', key].filter(Boolean).join('+')
}

/** Every chord of a binding, as a button's hint shows them ("→ / J"). */
export const keysOf = (id: string): string => keysIn(KEYMAP, id)
export const keysIn = <A>(map: readonly Binding<A>[], id: string): string => bindingByIdIn(map, id).chords.map(chordText).join(' / ')
