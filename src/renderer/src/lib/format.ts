// Numbers and durations as a person reads them.

const counts = new Intl.NumberFormat('en-US')

export const formatCount = (n: number): string => counts.format(n)

/** "a few seconds", "40 s", "3 min 5 s", "1 h 12 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 5) return 'a few seconds'
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`

const times = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })

/** A stored UTC timestamp in the reader's time zone: "23 Nov 2026, 10:03:45". */
export const formatTime = (iso: string): string => times.format(new Date(iso))

/** κ, α and other fractions as the agreement view prints them. */
export const formatRatio = (value: number): string => value.toFixed(3)

/** Accuracy, F1 and other shares as a percentage with one decimal: "63.4%". */
export const formatPercent = (value: number): string => `${(value * 100).toFixed(1)}%`
