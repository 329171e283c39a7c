// The manifest of a user's ONNX encoder folder: which file is which model, how images are
// prepared, how text is tokenized and which output is the feature vector. Parsing collects every
// problem (named by field) instead of stopping at the first.
import type { Fit } from '../image-prep'

export const MANIFEST_FILE = 'common-ground-encoders.json'

/**
 * 'output': the named output already is one vector per input ([N, D], or [N, D, 1, 1]);
 * 'cls': the first position of [N, L, D]; 'mean': the average over L of [N, L, D] (text: over
 * real tokens only) or over H×W of [N, D, H, W].
 */
export type Pooling = 'output' | 'cls' | 'mean'
const POOLINGS: readonly Pooling[] = ['output', 'cls', 'mean']
const FITS: readonly Fit[] = ['crop', 'squash']

export interface ImageSection {
  model: string
  input: string
  output: string
  pooling: Pooling
  dim: number
  /** Height and width of the network's input. */
  size: [number, number]
  resize: Fit
  mean: [number, number, number]
  std: [number, number, number]
}

export interface TextSection {
  model: string
  tokenizer: string
  /** Model input names: token ids, and optionally the attention mask and token type ids. */
  inputs: { ids: string; mask?: string; typeIds?: string }
  output: string
  pooling: Pooling
  dim: number
  /** Tokens per text, special tokens included; longer texts are cut. */
  maxLength: number
}

export interface Manifest {
  name: string
  image: ImageSection
  text: TextSection
}

/** Reads typed fields of one section, recording a problem for each bad one. */
class Fields {
  constructor(
    private readonly section: Record<string, unknown>,
    private readonly prefix: string,
    private readonly problems: string[],
  ) {}

  private fail(key: string, expected: string): void {
    const value = this.section[key]
    this.problems.push(`${MANIFEST_FILE}: ${this.prefix}${key} ${value === undefined ? 'is missing' : `is ${JSON.stringify(value)}`}; expected ${expected}`)
  }

  string(key: string, optional = false): string {
    const v = this.section[key]
    if (typeof v === 'string' && v.trim() !== '') return v
    if (!(optional && v === undefined)) this.fail(key, 'a non-empty string')
    return ''
  }

  /** A file name inside the folder (no path, so a manifest cannot point outside it). */
  file(key: string): string {
    const v = this.string(key)
    if (v && (v.includes('/') || v.includes('\\') || v === '.' || v === '..')) this.fail(key, 'a file name in the folder, without a path')
    return v
  }

  positiveInt(key: string): number {
    const v = this.section[key]
    if (Number.isInteger(v) && (v as number) > 0) return v as number
    this.fail(key, 'a positive integer')
    return 0
  }

  choice<T extends string>(key: string, options: readonly T[], fallback?: T): T {
    const v = this.section[key] ?? fallback
    if (options.includes(v as T)) return v as T
    this.fail(key, options.map((o) => `"${o}"`).join(' or '))
    return options[0]!
  }

  triple(key: string, positive: boolean): [number, number, number] {
    const v = this.section[key]
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))) {
      return v as [number, number, number]
    }
    this.fail(key, `three ${positive ? 'positive ' : ''}numbers (R, G, B, in the 0..1 scale)`)
    return [0, 0, 0]
  }

  /** A square side or [height, width]. */
  size(key: string): [number, number] {
    const v = this.section[key]
    if (Number.isInteger(v) && (v as number) > 0) return [v as number, v as number]
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x > 0)) return v as [number, number]
    this.fail(key, 'a positive integer or [height, width]')
    return [0, 0]
  }

  object(key: string): Record<string, unknown> {
    const v = this.section[key]
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
    this.fail(key, 'an object')
    return {}
  }
}

function imageSection(f: Fields): ImageSection {
  return {
    model: f.file('model'),
    input: f.string('input'),
    output: f.string('output'),
    pooling: f.choice('pooling', POOLINGS, 'output'),
    dim: f.positiveInt('dim'),
    size: f.size('size'),
    resize: f.choice('resize', FITS, 'crop'),
    mean: f.triple('mean', false),
    std: f.triple('std', true),
  }
}

function textSection(f: Fields, problems: string[]): TextSection {
  const inputs = new Fields(f.object('inputs'), 'text.inputs.', problems)
  return {
    model: f.file('model'),
    tokenizer: f.file('tokenizer'),
    inputs: {
      ids: inputs.string('ids'),
      mask: inputs.string('mask', true) || undefined,
      typeIds: inputs.string('typeIds', true) || undefined,
    },
    output: f.string('output'),
    pooling: f.choice('pooling', POOLINGS, 'output'),
    dim: f.positiveInt('dim'),
    maxLength: f.positiveInt('maxLength'),
  }
}

export function parseManifest(json: unknown): { manifest?: Manifest; problems: string[] } {
  const problems: string[] = []
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problems: [`${MANIFEST_FILE}: expected a JSON object`] }
  const top = new Fields(json as Record<string, unknown>, '', problems)
  const name = top.string('name')
  const image = top.object('image')
  const text = top.object('text')
  const manifest: Manifest = {
    name,
    image: imageSection(new Fields(image, 'image.', problems)),
    text: textSection(new Fields(text, 'text.', problems), problems),
  }
  return problems.length > 0 ? { problems } : { manifest, problems }
}
