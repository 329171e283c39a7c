// tokenizer.json "post_processor" components: the special tokens wrapped around one sequence
// ([CLS] … [SEP] for BERT, <s> … </s> for RoBERTa, <|startoftext|> … <|endoftext|> for CLIP).
import { componentType, UnsupportedTokenizer, unsupported, type Spec } from './spec'

export interface Encoded {
  ids: number[]
  typeIds: number[]
}

export interface PostProcessor {
  /** How many tokens it adds around a single sequence (truncation leaves room for them). */
  added: number
  apply(ids: readonly number[]): Encoded
}

const SUPPORTED = ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing', 'ByteLevel', 'Sequence'] as const

/** BertProcessing and RobertaProcessing write each special token as [token, id]. */
function tokenId(value: unknown, where: string): number {
  if (Array.isArray(value) && typeof value[1] === 'number') return value[1]
  throw new UnsupportedTokenizer(`${where}: expected [token, id], got ${JSON.stringify(value)}`)
}

function wrap(before: number[], after: number[]): PostProcessor {
  return {
    added: before.length + after.length,
    apply: (ids) => {
      const all = [...before, ...ids, ...after]
      return { ids: all, typeIds: all.map(() => 0) }
    },
  }
}

type Piece = { SpecialToken?: { id: string; type_id?: number }; Sequence?: { id: string; type_id?: number } }

function template(spec: Spec, where: string): PostProcessor {
  const single = spec.single as Piece[] | undefined
  const specials = (spec.special_tokens ?? {}) as Record<string, { ids?: number[] }>
  if (!Array.isArray(single)) throw new UnsupportedTokenizer(`${where}: TemplateProcessing has no "single" template`)
  const parts = single.map((piece, i) => {
    if (piece.Sequence) return { sequence: true, ids: [] as number[], typeId: piece.Sequence.type_id ?? 0 }
    const name = piece.SpecialToken?.id
    const ids = name === undefined ? undefined : specials[name]?.ids
    if (!ids) throw new UnsupportedTokenizer(`${where}.single[${i}]: special token ${JSON.stringify(name)} is not in special_tokens`)
    return { sequence: false, ids, typeId: piece.SpecialToken?.type_id ?? 0 }
  })
  return {
    added: parts.reduce((n, p) => n + p.ids.length, 0),
    apply: (ids) => {
      const out: Encoded = { ids: [], typeIds: [] }
      for (const part of parts) {
        const these = part.sequence ? ids : part.ids
        out.ids.push(...these)
        out.typeIds.push(...these.map(() => part.typeId))
      }
      return out
    },
  }
}

export function makePostProcessor(spec: unknown, where = 'post_processor'): PostProcessor {
  if (spec === null || spec === undefined) return wrap([], [])
  const type = componentType(spec, where)
  const s = spec as Spec
  switch (type) {
    case 'BertProcessing':
    case 'RobertaProcessing':
      return wrap([tokenId(s.cls, `${where}.cls`)], [tokenId(s.sep, `${where}.sep`)])
    case 'TemplateProcessing':
      return template(s, where)
    case 'ByteLevel':
      // Only adjusts offsets, which these encoders do not use.
      return wrap([], [])
    case 'Sequence': {
      const steps = ((s.processors as unknown[]) ?? []).map((p, i) => makePostProcessor(p, `${where}.processors[${i}]`))
      return {
        added: steps.reduce((n, p) => n + p.added, 0),
        apply: (ids) => steps.reduce<Encoded>((out, step) => step.apply(out.ids), { ids: [...ids], typeIds: ids.map(() => 0) }),
      }
    }
    default:
      return unsupported(where, type, SUPPORTED)
  }
}
