// Building blocks of the request schemas (valibot): fields whose messages a person can act on
// ("expected an integer from 1 to 50", "required (one of …)"), and the one function that turns a
// failed parse into a message naming each field's path. Pure: no Node, no DOM. The helpers are
// marked free of side effects so the renderer's bundle drops every schema it does not use.
import * as v from 'valibot'

type Issue = v.BaseIssue<unknown>

/** A field's message: `required (…)` when it is absent (or null), `expected …` when it is something else. */
const says = /* @__NO_SIDE_EFFECTS__ */ (need: string, missing = `required (${need})`) => (issue: Issue): string =>
  issue.input === undefined || issue.input === null ? missing : `expected ${need}`

/** A database id: a safe integer ≥ 1. */
export const id = /* @__NO_SIDE_EFFECTS__ */ () => {
  const message = says('a positive integer id')
  return v.pipe(v.number(message), v.safeInteger(message), v.minValue(1, message))
}

/** An integer in [min, max]; `missing` replaces the message for an absent value. */
export const int = /* @__NO_SIDE_EFFECTS__ */ (min: number, max: number, missing?: string) => {
  const message = says(`an integer from ${min} to ${max}`, missing)
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message))
}

/** A finite number in [min, max]. */
export const num = /* @__NO_SIDE_EFFECTS__ */ (min: number, max: number) => {
  const message = says(`a number from ${min} to ${max}`)
  return v.pipe(v.number(message), v.finite(message), v.minValue(min, message), v.maxValue(max, message))
}

/** Text, at most `max` characters when given. */
export const text = /* @__NO_SIDE_EFFECTS__ */ (max = Infinity) =>
  v.pipe(v.string(says('text', 'required')), v.maxLength(max, `at most ${max} characters`))

/** Text with the spaces around it removed, which must not be empty then (`empty` says what to do). */
export const filledText = /* @__NO_SIDE_EFFECTS__ */ (max: number, empty: string) => v.pipe(text(max), v.trim(), v.minLength(1, empty))

/** A search typed by a person: at most `max` characters, the spaces around it dropped; blank is no search (undefined). */
export const searchText = /* @__NO_SIDE_EFFECTS__ */ (max: number) => opt(v.pipe(text(max), v.trim(), v.transform((s) => s || undefined)))

/** One of the options of one or more lists (`oneOf(SENTIMENTS, ['unlabeled'])`). */
export const oneOf = /* @__NO_SIDE_EFFECTS__ */ <const T extends readonly (readonly string[])[]>(...lists: T) => {
  const options = lists.flat() as T[number][number][]
  return v.picklist(options, says(`one of ${options.join(', ')}`))
}

/** One of `options`, or null; the field itself must be there (null is a value: "clear it"). */
export const oneOfOrNull = /* @__NO_SIDE_EFFECTS__ */ <const T extends readonly [string, ...string[]]>(options: T) =>
  v.nullable(v.picklist(options, says(`one of ${options.join(', ')}`, `required (one of ${options.join(', ')}, or null)`)))

export const bool = /* @__NO_SIDE_EFFECTS__ */ () => v.boolean(says('true or false'))

/** An optional field: absent or null both mean "not given" (the handler sees undefined). */
/* @__NO_SIDE_EFFECTS__ */
export function opt<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    v.nullish(schema),
    v.transform((value): v.InferOutput<S> | undefined => value ?? undefined),
  )
}

// An optional field with a default is `v.nullish(schema, default)`: absent and null both take the default.

/**
 * An object of fields. Unknown keys are dropped; a missing field gets the message its own schema
 * gives an absent value ("required (one of …)"), so every field says what it needs in one place.
 */
/* @__NO_SIDE_EFFECTS__ */
export function fields<E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, (issue) => {
    const key = issue.path?.[0]?.origin === 'key' ? issue.path[0].key : undefined
    if (typeof key === 'string' && entries[key]) return v.safeParse(entries[key], undefined).issues?.[0]?.message ?? 'required'
    return 'expected an object'
  })
}

/**
 * What is wrong with a payload, one `path: problem` per field ("labels.n: expected an integer
 * from 1 to 10000000"); a problem with the payload as a whole is prefixed with `subject`.
 */
export function describeIssues(subject: string, issues: readonly Issue[]): string {
  const seen = new Map<string, string>()
  for (const issue of issues) {
    const at = v.getDotPath(issue) ?? subject
    if (!seen.has(at)) seen.set(at, `${at}: ${issue.message}`)
  }
  return [...seen.values()].join('; ')
}
