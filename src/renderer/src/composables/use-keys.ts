// A view's keyboard shortcuts while it is mounted: each key press looked up in the view's table
// (lib/keymap.ts) and handed to `run`. Keys belong to fields while someone types, and to a dialog
// while one is open; a held key repeats only where its binding says so.
import { onBeforeUnmount, onMounted } from 'vue'
import { bindingIn, type Binding } from '../lib/keymap'

export function useKeys<A>(map: readonly Binding<A>[], run: (action: A) => void): void {
  function onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return
    if (document.querySelector('[aria-modal="true"]')) return
    const binding = bindingIn(map, event)
    if (!binding || (event.repeat && !binding.repeats)) return
    event.preventDefault()
    run(binding.action)
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
