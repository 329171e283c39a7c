// A stored time (ISO 8601, UTC) as messages print it: "2026-12-08 02:44 UTC", not the raw
// "2026-12-08T02:44:47.409Z". The UI shows times in the viewer's own zone; a message, written by the
// back end, says which zone it means.

/** "2026-12-08 02:44 UTC"; "an unknown time" when there is none. */
export function whenUtc(iso: string | null | undefined): string {
  const match = iso ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso) : null
  return match ? `${match[1]} ${match[2]} UTC` : iso || 'an unknown time'
}
