/** Calls `fn` once calls have paused for `ms`; `cancel` drops a pending call (e.g. on unmount). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const debounced = (...args: A): void => {
    clearTimeout(timer)
    timer = setTimeout(() => fn(...args), ms)
  }
  return Object.assign(debounced, { cancel: () => clearTimeout(timer) })
}
