import { MAX_JSON_DEPTH, type Item } from '../model/item.js'
import { itemTextLabel } from '../model/labels.js'
import { nestedDeeperThan, shownJson } from './json-shown.js'

/**
 * How one value travels through a JSON file: `write` gives its JSON form, `read` takes it back
 * and throws a FieldError when the JSON is not what `write` could have given.
 */
export interface Field<T> {
  write(value: T): unknown
  read(json: unknown): T
}

/** The format of an object: one Field per key of its type, so no key can be left out. */
export type ObjectFormat<T> = { [K in keyof Required<T>]: Field<T[K]> }

/** A value in a file that is not what the format expects: `at` is its path, as `results[3].status`. */
export class FieldError extends Error {
  constructor(
    readonly at: string,
    readonly problem: string
  ) {
    super(`'${at}' ${problem}`)
  }

  /** The same error seen from the object or array that holds the field under `key`. */
  within(key: string | number): FieldError {
    const inner = this.at === '' || this.at.startsWith('[') ? this.at : `.${this.at}`
    return new FieldError(
      typeof key === 'number' ? `[${key}]${inner}` : `${key}${inner}`,
      this.problem
    )
  }
}

/**
 * Reads `json` with `field`, naming the field under `key` in any error. Paths are built only on
 * error, so that reading a large file builds no string per field.
 */
function readWithin<T>(field: Field<T>, json: unknown, key: string | number): T {
  try {
    return field.read(json)
  } catch (error) {
    throw error instanceof FieldError ? error.within(key) : error
  }
}

/** A short, one-line picture of a JSON value for an error message, however large or deep. */
function shown(json: unknown): string {
  return shownJson(json, 60)
}

/** A field whose JSON is the value itself, when `valid` accepts it. */
export function checked<T>(valid: (json: unknown) => boolean, expected: string): Field<T> {
  return {
    write: value => value,
    read(json) {
      if (!valid(json)) throw new FieldError('', `is ${shown(json)}. Expected ${expected}`)
      return json as T
    }
  }
}

/** A string. */
export const text = checked<string>(json => typeof json === 'string', 'a string')
/** true or false. */
export const flag = checked<boolean>(json => typeof json === 'boolean', 'true or false')

/** A whole number of at least `min` and, when `max` is given, at most `max`. */
export function whole(min = 0, max?: number): Field<number> {
  return checked(
    json =>
      typeof json === 'number' &&
      Number.isSafeInteger(json) &&
      json >= min &&
      (max === undefined || json <= max),
    max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`
  )
}

/** Any whole number (exit codes can be negative on Windows). */
export const integer = checked<number>(
  json => typeof json === 'number' && Number.isSafeInteger(json),
  'a whole number'
)

/** Milliseconds: a finite number ≥ 0. */
export const milliseconds = checked<number>(
  json => typeof json === 'number' && Number.isFinite(json) && json >= 0,
  'a number of milliseconds ≥ 0'
)

/**
 * Any JSON value but a missing one, nested no deeper than the `items` input allows: what an item
 * is. A deeper one could never have run, and would overflow the stack wherever it is written.
 */
export const jsonValue = checked<Item>(
  json => json !== undefined && !nestedDeeperThan(json, MAX_JSON_DEPTH),
  `an item (any JSON value nested at most ${MAX_JSON_DEPTH} levels deep)`
)

/** One of the values of a string enum. */
export function oneOf<T extends string>(values: Record<string, T>): Field<T> {
  const known = new Set<string>(Object.values(values))
  return checked(
    json => typeof json === 'string' && known.has(json),
    `one of ${[...known].join(', ')}`
  )
}

/** A map of strings to strings. */
export const stringMap = checked<Record<string, string>>(
  json =>
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    Object.values(json).every(entry => typeof entry === 'string'),
  'an object of strings'
)

/** An epoch time in milliseconds, written as an ISO 8601 time that reads back to the same number. */
export const isoTime: Field<number> = {
  write: epochMs => new Date(epochMs).toISOString(),
  read(json) {
    const ms = typeof json === 'string' ? Date.parse(json) : NaN
    if (Number.isNaN(ms) || new Date(ms).toISOString() !== json) {
      throw new FieldError(
        '',
        `is ${shown(json)}. Expected a time such as 2026-01-31T12:00:00.000Z`
      )
    }
    return ms
  }
}

/** The value or null. */
export function nullable<T>(field: Field<T>): Field<T | null> {
  return {
    write: value => (value === null ? null : field.write(value)),
    read: json => (json === null ? null : field.read(json))
  }
}

/** The value or nothing: an absent key reads as undefined, and undefined is not written. */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return {
    write: value => (value === undefined ? undefined : field.write(value)),
    read: json => (json === undefined ? undefined : field.read(json))
  }
}

/**
 * The value, or `fallback` when the key is absent: for a field added to a format after files
 * without it were written. It is always written.
 */
export function defaulted<T>(field: Field<T>, fallback: T): Field<T> {
  return {
    write: value => field.write(value),
    read: json => (json === undefined ? fallback : field.read(json))
  }
}

/** An array of values of one format. */
export function arrayOf<T>(field: Field<T>): Field<T[]> {
  return {
    write: values => values.map(value => field.write(value)),
    read(json) {
      if (!Array.isArray(json)) throw new FieldError('', `is ${shown(json)}. Expected an array`)
      return json.map((entry, index) => readWithin(field, entry, index))
    }
  }
}

/**
 * An object with exactly the keys of its format, in the format's order, each under its own name
 * or the one `names` gives it. A key the format does not know is refused rather than dropped, so
 * a field from a newer writer is never lost unseen.
 */
export function objectOf<T>(
  format: ObjectFormat<T>,
  names: Partial<Record<keyof T, string>> = {}
): Field<T> {
  const keys = Object.keys(format) as (keyof T & string)[]
  const nameOf = (key: keyof T & string): string => names[key] ?? key
  const known = new Set<string>(keys.map(nameOf))
  return {
    write(value) {
      const json: Record<string, unknown> = {}
      for (const key of keys) json[nameOf(key)] = format[key].write(value[key])
      return json
    },
    read(json) {
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new FieldError('', `is ${shown(json)}. Expected an object`)
      }
      const source = json as Record<string, unknown>
      const stranger = Object.keys(source).find(key => !known.has(key))
      if (stranger !== undefined) {
        throw new FieldError(
          // A key of any length can be in a file: the message names it within bounds.
          itemTextLabel(stranger, 40),
          `is not a field parallel-exec writes. Expected only ${[...known].join(', ')}`
        )
      }
      const value: Partial<T> = {}
      for (const key of keys) {
        const read = readWithin(format[key], source[nameOf(key)], nameOf(key))
        if (read !== undefined) value[key] = read
      }
      return value as T
    }
  }
}

/**
 * An object format under a `version` key, written first. A file with that version or none (one
 * written before the key existed, in the same format) is read; any other version is refused.
 */
export function versioned<T>(field: Field<T>, version: number): Field<T> {
  return {
    write: value => ({ version, ...(field.write(value) as object) }),
    read(json) {
      const isObject = json !== null && typeof json === 'object' && !Array.isArray(json)
      if (!isObject || !Object.hasOwn(json, 'version')) return field.read(json)
      const { version: found, ...rest } = json as Record<string, unknown>
      if (found !== version) {
        throw new FieldError(
          'version',
          `is ${shown(found)}. Expected ${version} (or no version), the one this parallel-exec reads`
        )
      }
      return field.read(rest)
    }
  }
}
