// A view's keyboard shortcuts while it is mounted: each key press looked up in the view's table
// (lib/keymap.ts) and handed to `run`. Keys belong to fields while someone types, and to a dialog
// while one is open; a held key repeats only where its binding says so.
import { onBeforeUnmount, onMounted } from 'vue'
import { bindingIn, type Binding } from '../lib/keymap'

/** Inputs that take no typing: a label key pressed just after ticking a box still labels. */
const UNTYPED_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset'])

/** Whether a key pressed in `target` belongs to it: text fields, selects, sliders, editable text. */
function typingIn(target: HTMLElement | null): boolean {
  if (!target) return false
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true
  return target.tagName === 'INPUT' && !UNTYPED_INPUTS.has((target as HTMLInputElement).type)
}

export function useKeys<A>(map: readonly Binding<A>[], run: (action: A) => void): void {
  function onKeydown(event: KeyboardEvent): void {
    if (typingIn(event.target as HTMLElement | null)) return
    if (document.querySelector('[aria-modal="true"]')) return
    const binding = bindingIn(map, event)
    if (!binding || (event.repeat && !binding.repeats)) return
    event.preventDefault()
    run(binding.action)
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
