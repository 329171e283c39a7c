// RFC 4180 CSV: a field holding a comma, quote or line break is quoted, quotes doubled; empty for null.

function field(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(field).join(',')
}
