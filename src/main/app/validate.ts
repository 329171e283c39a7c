// Checks on payloads arriving from a transport: the browser-mode API is reachable by any local
// program, so types alone prove nothing. Messages name the field at fault.
import { ANNOTATOR_NAME_MAX } from '#shared/labeling'
import { AppError, badRequest } from '#main/core/errors'

export type Payload = Record<string, unknown>

export function object(payload: unknown, method: string): Payload {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw badRequest(`${method}: expected an object payload`)
  }
  return payload as Payload
}

export function id(p: Payload, field: string): number {
  const v = p[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw badRequest(`${field}: expected a positive integer id`)
  return v
}

export function int(p: Payload, field: string, min: number, max: number, fallback?: number): number {
  const v = p[field] ?? fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`${field}: expected an integer from ${min} to ${max}`)
  }
  return v
}

/** A finite number in [min, max]. */
export function number(p: Payload, field: string, min: number, max: number): number {
  const v = p[field]
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw badRequest(`${field}: expected a number from ${min} to ${max}`)
  return v
}

export function text(p: Payload, field: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
  const v = p[field]
  if (v === undefined || v === null) {
    if (opts.optional) return undefined
    throw badRequest(`${field}: required`)
  }
  if (typeof v !== 'string') throw badRequest(`${field}: expected text`)
  if (opts.max !== undefined && v.length > opts.max) throw badRequest(`${field}: at most ${opts.max} characters`)
  return v
}

export function oneOf<T extends string>(p: Payload, field: string, allowed: readonly T[]): T | undefined {
  const v = p[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw badRequest(`${field}: expected one of ${allowed.join(', ')}`)
  }
  return v as T
}

export function bool(p: Payload, field: string): boolean | undefined {
  const v = p[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw badRequest(`${field}: expected true or false`)
  return v
}

export function requiredOneOf<T extends string>(p: Payload, field: string, allowed: readonly T[]): T {
  const v = oneOf(p, field, allowed)
  if (v === undefined) throw badRequest(`${field}: required (one of ${allowed.join(', ')})`)
  return v
}

/** A field that must be present but may be null (e.g. a label, where null clears it). */
export function nullableOneOf<T extends string>(p: Payload, field: string, allowed: readonly T[]): T | null {
  if (!(field in p)) throw badRequest(`${field}: required (one of ${allowed.join(', ')}, or null)`)
  return oneOf(p, field, allowed) ?? null
}

/** A person's name as recorded with their labels: trimmed, not empty, no control characters. */
export function personName(p: Payload, field: string, opts: { optional?: boolean } = {}): string | undefined {
  const raw = text(p, field, { optional: opts.optional, max: ANNOTATOR_NAME_MAX * 4 })
  if (raw === undefined) return undefined
  const name = raw.trim()
  if (name === '') throw badRequest(`${field}: enter a name`)
  if (name.length > ANNOTATOR_NAME_MAX) throw badRequest(`${field}: at most ${ANNOTATOR_NAME_MAX} characters`)
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest(`${field}: no control characters`)
  return name
}

/** An object-valued field, checked by `check`; a message about an inner field names it as `field.inner`. */
export function nested<T>(p: Payload, field: string, check: (inner: Payload) => T): T | undefined {
  const v = p[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${field}: expected an object`)
  try {
    return check(v as Payload)
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${field}.${err.message}`)
    throw err
  }
}
