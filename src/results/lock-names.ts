import { type Field, FieldError } from './field-formats.js'

// Lock names may come from untrusted items and are never printed in log lines: an error about a
// record's `locks` says what kind of value it found and where, never the value.

/** What kind of JSON value `json` is: `a string`, `an array`, `null`, … */
function jsonKind(json: unknown): string {
  if (json === undefined) return 'missing'
  if (json === null) return 'null'
  if (Array.isArray(json)) return 'an array'
  return typeof json === 'object' ? 'an object' : `a ${typeof json}`
}

/** A record's `locks`: a list of strings, refused without showing any of it. */
export const LOCK_NAMES: Field<string[]> = {
  write: names => names,
  read(json) {
    if (!Array.isArray(json)) {
      throw new FieldError('', `is ${jsonKind(json)}. Expected a list of lock names`)
    }
    json.forEach((name: unknown, index) => {
      if (typeof name !== 'string') {
        throw new FieldError(`[${index}]`, `is ${jsonKind(name)}. Expected a lock name (a string)`)
      }
    })
    return json as string[]
  }
}
