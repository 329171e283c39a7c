// The launch dialog's "Advanced" fields: every config field of the chosen preset, edited as text
// (numbers, strings) or a checkbox (booleans); what differs from the preset is sent as overrides.
// The back end validates ranges (runs.plan); here only what cannot be sent at all is caught.
import type { TrainingConfigView } from '#shared/runs'

export type FieldValue = number | string | boolean
/** What the inputs hold: text for numbers and strings, a boolean for checkboxes. */
export type RawFields = Record<string, string | boolean>

/** Fields the dialog sets through its own controls, not in Advanced. */
export const OWN_CONTROLS = new Set(['method', 'seed'])

/** The raw input values for a preset's fields. */
export function rawOf(values: TrainingConfigView): RawFields {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)]))
}

export interface ParsedOverrides {
  overrides: Record<string, FieldValue>
  /** By field: why its input cannot be used. */
  problems: Record<string, string>
}

export function parseOverrides(preset: TrainingConfigView, raw: RawFields): ParsedOverrides {
  const overrides: Record<string, FieldValue> = {}
  const problems: Record<string, string> = {}
  for (const [field, base] of Object.entries(preset)) {
    if (OWN_CONTROLS.has(field) || !(field in raw)) continue
    const input = raw[field]!
    let value: FieldValue
    if (typeof base === 'number') {
      const text = String(input).trim()
      value = Number(text)
      if (text === '' || !Number.isFinite(value)) {
        problems[field] = `${field}: enter a number (the preset has ${base})`
        continue
      }
    } else if (typeof base === 'boolean') {
      value = Boolean(input)
    } else {
      value = String(input).trim()
      if (value === '' && base !== '') {
        problems[field] = `${field}: enter a value (the preset has "${base}")`
        continue
      }
    }
    if (value !== base) overrides[field] = value
  }
  return { overrides, problems }
}

/** Groups fields by their dotted prefix: '' for top-level fields, then 'scdr', 'flexmatch', … */
export function groupFields(fields: string[]): { group: string; fields: string[] }[] {
  const groups = new Map<string, string[]>()
  for (const field of fields) {
    const dot = field.indexOf('.')
    const group = dot < 0 ? '' : field.slice(0, dot)
    groups.set(group, [...(groups.get(group) ?? []), field])
  }
  return [...groups].map(([group, list]) => ({ group, fields: list }))
}
