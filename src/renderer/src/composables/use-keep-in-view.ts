// A list that keeps its current row in view: after `index` changes, the row marked
// `data-index="<index>"` inside the list element is scrolled to the nearest edge.
import { nextTick, watch, type Ref } from 'vue'

export function useKeepInView(list: Readonly<Ref<HTMLElement | null>>, index: () => number): void {
  watch(index, async (i) => {
    await nextTick()
    list.value?.querySelector(`[data-index="${i}"]`)?.scrollIntoView({ block: 'nearest' })
  })
}
