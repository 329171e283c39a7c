// The launch dialog's "Advanced" fields: every config field of the chosen preset, edited as text
// (numbers, strings) or a checkbox (booleans); what differs from the preset is sent as overrides.
// The back end validates ranges (runs.plan); here only what cannot be sent at all is caught.
import type { PresetName, RunMethod, RunPresets, TrainingConfigView } from '#shared/runs'

export type FieldValue = number | string | boolean
/** What the inputs hold: text for numbers and strings, a boolean for checkboxes. */
export type RawFields = Record<string, string | boolean>

/** Fields the dialog sets through its own controls, not in Advanced. */
export const OWN_CONTROLS = new Set(['method', 'seed'])

/**
 * The values a run of `method` under `preset` starts from (the back end's makeConfig, method base
 * included): what the dialog shows, and what its overrides are measured against.
 */
export const shownValues = (presets: RunPresets | null | undefined, method: RunMethod, preset: PresetName): TrainingConfigView => presets?.presetValues[method]?.[preset] ?? {}

/** Settings groups that only some methods read: shown for those methods alone (ULGM and SPP-SCL's settings are options of others). */
const GROUP_METHODS: Record<string, readonly RunMethod[]> = {
  scdr: ['scdr'],
  flexmatch: ['flexmatch'],
  selfTraining: ['self-training'],
  sppScl: ['spp-scl', 'scdr'],
  ulgm: ['supervised', 'scdr'],
  teacher: ['fixmatch', 'flexmatch', 'scdr'],
}

/** The settings groups a method does not read. */
export const hiddenGroupsFor = (method: RunMethod): string[] => Object.keys(GROUP_METHODS).filter((g) => !GROUP_METHODS[g]!.includes(method))

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

/** One line of help for the fields of options that change what a method learns (shown under the field in Advanced). */
export const FIELD_HELP: Readonly<Record<string, string>> = {
  'ulgm.mode': 'on: the text and image heads learn labels generated from the fused label and each modality’s class centres (Self-MM), not the fused label.',
  'ulgm.weight': 'Weight of the text and image heads’ terms on the generated labels (Self-MM: 1).',
  'ulgm.hidden': 'Supervised: width of the text and image encoders the labels are generated from; SCDR reads its heads’ hidden layers.',
  'scdr.sppSclWeight': 'SPP-SCL as an extra loss: text and image SupCon on the labeled posts, then the text–image step when the batch is not aligned (0 = off).',
  'sppScl.temperature': 'τ of every SupCon term (0.07), SCDR’s SPP-SCL terms included.',
}
