/**
 * A copy of `filter` with `key` set, or left out when `value` means "any": a select's '' or an
 * unticked box's false. Queries leave out what does not filter.
 */
export function withField<F extends object, K extends keyof F>(filter: F, key: K, value: F[K] | '' | false | undefined): F {
  const next = { ...filter }
  if (value === '' || value === false || value === undefined) delete next[key]
  else next[key] = value
  return next
}
