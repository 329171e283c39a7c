// From a run request (method, preset, seed, overrides by dotted field name) to a training config,
// with every problem naming its field; and the flat view of a config the launch dialog shows.
// Shared by the runs handlers and the CLI's `train`.
import { PRESET_NAMES, RUN_METHODS, type ConfigFieldProblem, type PresetName, type RunChoice, type RunMethod, type RunPresets, type RunRequest, type TrainingConfigView } from '#shared/runs'
import { makeConfig, validateConfig, type ConfigOverrides, type TrainingConfig } from './config'

const METHOD_CHOICES: Record<RunMethod, Omit<RunChoice, 'id'>> = {
  'self-training': { label: 'Self-training (default)', description: 'A linear head on the labeled posts, then rounds of its confident pseudo-labels, with the class prior applied: the best measured here.' },
  supervised: { label: 'Supervised', description: 'The labeled posts only: the baseline every other method must beat. ulgm.mode on: text and image heads learn generated labels.' },
  fixmatch: { label: 'FixMatch', description: 'Pseudo-labels from weak views above a fixed confidence teach the strong views.' },
  flexmatch: { label: 'FlexMatch', description: 'FixMatch with a threshold per class that follows how well each class is learned.' },
  scdr: { label: 'SCDR', description: 'Common and private features per modality, three heads, modal selection and the pseudo-label filter. Options: ulgm.mode on (text and image heads learn generated labels), scdr.sppSclWeight (SPP-SCL terms).' },
  'spp-scl': { label: 'SPP-SCL', description: 'Labeled posts only: 5·CE plus supervised contrastive losses within text and image, then a text–image one when the batch is not aligned yet (sppScl.*).' },
}

const PRESET_CHOICES: Record<PresetName, Omit<RunChoice, 'id'>> = {
  default: { label: 'Default', description: 'Tuned for cached features: finishes in minutes.' },
  quick: { label: 'Quick', description: 'A short run of the default, for trying things out.' },
  paper: { label: 'Paper', description: "The released code's values, every quirk on: made for fine-tuning whole encoders, very long here." },
}

/** Every field of a config by dotted name ('lr', 'scdr.selector'), with its value. */
export function configView(config: TrainingConfig): TrainingConfigView {
  const view: TrainingConfigView = {}
  const walk = (value: object, prefix: string): void => {
    for (const [key, v] of Object.entries(value)) {
      if (v !== null && typeof v === 'object') walk(v as object, `${prefix}${key}.`)
      else view[`${prefix}${key}`] = v as number | string | boolean
    }
  }
  walk(config, '')
  return view
}

export function runPresets(): RunPresets {
  const defaults = Object.fromEntries(RUN_METHODS.map((m) => [m, configView(makeConfig('paper', { method: m }))])) as Record<RunMethod, TrainingConfigView>
  const presetValues = Object.fromEntries(
    RUN_METHODS.map((m) => [m, Object.fromEntries(PRESET_NAMES.map((p) => [p, configView(makeConfig(p, { method: m }))]))]),
  ) as Record<RunMethod, Record<PresetName, TrainingConfigView>>
  return {
    methods: RUN_METHODS.map((id) => ({ id, ...METHOD_CHOICES[id] })),
    presets: PRESET_NAMES.map((id) => ({ id, ...PRESET_CHOICES[id] })),
    defaults,
    presetValues,
  }
}

/** Fields a request sets on its own (method, seed), never through overrides. */
const OWN_FIELDS = new Set(['method'])

/**
 * Overrides by dotted name, checked against the preset's fields: an unknown name or a value of the
 * wrong kind is a problem naming `overrides.<name>`.
 */
export function overridesFrom(base: TrainingConfig, flat: Record<string, unknown>): { overrides: ConfigOverrides; problems: ConfigFieldProblem[] } {
  const known = configView(base)
  const overrides: Record<string, unknown> = {}
  const problems: ConfigFieldProblem[] = []
  for (const [name, value] of Object.entries(flat)) {
    const field = `overrides.${name}`
    if (!(name in known) || OWN_FIELDS.has(name)) {
      problems.push({ field, message: `${field}: no such setting${OWN_FIELDS.has(name) ? ' (choose it with method)' : ''}` })
      continue
    }
    if (typeof value !== typeof known[name]) {
      problems.push({ field, message: `${field}: expected ${typeof known[name] === 'boolean' ? 'true or false' : `a ${typeof known[name]}`}` })
      continue
    }
    const [group, key] = name.split('.')
    if (key) overrides[group!] = { ...(overrides[group!] as object), [key]: value }
    else overrides[name] = value
  }
  return { overrides: overrides as ConfigOverrides, problems }
}

/** `--set lr=0.01` from the command line: true/false, a number, or text. */
export function parseSetting(text: string): [string, number | string | boolean] | null {
  const eq = text.indexOf('=')
  if (eq < 1) return null
  const name = text.slice(0, eq).trim()
  const raw = text.slice(eq + 1).trim()
  const value = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw
  return [name, value]
}

/** The config a request asks for, or the problems (each naming its field) that stop it. */
export function configFromRequest(request: Pick<RunRequest, 'method' | 'preset' | 'seed' | 'overrides'>): { config: TrainingConfig | null; problems: ConfigFieldProblem[] } {
  const base = makeConfig(request.preset, { method: request.method })
  const { overrides, problems } = overridesFrom(base, request.overrides ?? {})
  const config = makeConfig(request.preset, { ...overrides, method: request.method, ...(request.seed !== undefined ? { seed: request.seed } : {}) })
  problems.push(...validateConfig(config))
  return { config: problems.length === 0 ? config : null, problems }
}
