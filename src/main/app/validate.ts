// Checks on payloads arriving from a transport: the browser-mode API is reachable by any local
// program, so types alone prove nothing. Messages name the field at fault.
import { badRequest } from './errors'

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
