import { expressionEqual, isMapping } from './expression-equality.js'
import { type Item } from './item.js'
import { count } from './words.js'

/** One include or exclude entry: key/value pairs, keys in the order written. */
export type MatrixEntry = { readonly [key: string]: Item }

/** A matrix as `jobs.<id>.strategy.matrix` writes it: dimensions in order, include, exclude. */
export interface MatrixSpec {
  /** Each dimension's key and its values, in the order written. */
  dimensions: readonly (readonly [string, readonly Item[]])[]
  /** Entries added to matching combinations, or appended as new ones, in order. */
  include: readonly MatrixEntry[]
  /** Entries whose matching combinations are dropped before include applies. */
  exclude: readonly MatrixEntry[]
}

/**
 * The most combinations a matrix may give. GitHub's 256 is a limit on jobs; items are cheaper,
 * but a typo multiplying two long lists should fail rather than start a million commands.
 */
export const MAX_COMBINATIONS = 65_536

/**
 * The items a matrix gives, one object per combination, by GitHub's documented rules: the
 * product of the dimensions (first outermost), less every combination an exclude entry matches
 * (partially), then each include entry merged into every original combination none of whose
 * dimension values it changes, or appended as a new combination when it fits none. Values
 * compare as GitHub's expression `==` does (expressionEqual).
 */
export function expandMatrix(spec: MatrixSpec): { [key: string]: Item }[] {
  checkSpec(spec)
  const dimensionKeys = new Set(spec.dimensions.map(([key]) => key))
  const originals = crossProduct(spec.dimensions).filter(
    combination => !spec.exclude.some(entry => matchesPartially(entry, combination))
  )
  const added: { [key: string]: Item }[] = []
  for (const entry of spec.include) {
    const pairs = Object.entries(entry)
    const fitting = originals.filter(combination =>
      pairs.every(
        ([key, value]) => !dimensionKeys.has(key) || expressionEqual(value, combination[key])
      )
    )
    // An added value may be overwritten by a later entry; an original one never is: a dimension's
    // value stays as written where the entry's only equals it (`'20'` for 20, `Linux` for linux,
    // an object with its keys in another order).
    for (const combination of fitting)
      for (const [key, value] of pairs) if (!dimensionKeys.has(key)) put(combination, key, value)
    if (fitting.length === 0) added.push(objectOf(pairs))
  }
  const total = originals.length + added.length
  if (total > MAX_COMBINATIONS) {
    throw new Error(
      `Invalid matrix: ${count(originals.length)} combinations and ${count(added.length)} from ` +
        `include make ${count(total)}. Expected at most ${count(MAX_COMBINATIONS)}.`
    )
  }
  return [...originals, ...added]
}

/** Refuses what GitHub refuses, and more combinations than MAX_COMBINATIONS, before building any. */
function checkSpec(spec: MatrixSpec): void {
  for (const [key, values] of spec.dimensions) {
    if (values.length === 0) {
      throw new Error(
        `Invalid matrix: dimension '${key}' is an empty list. Expected at least one value.`
      )
    }
  }
  const keys = spec.dimensions.map(([key]) => key)
  spec.exclude.forEach((entry, index) => {
    const entryKeys = Object.keys(entry)
    if (entryKeys.length === 0) {
      throw new Error(
        `Invalid matrix: exclude item ${index + 1} is empty. Expected a mapping of dimensions ` +
          'to values such as {os: linux, node: 20}.'
      )
    }
    const stray = entryKeys.find(key => !keys.includes(key))
    if (stray !== undefined) {
      throw new Error(
        `Invalid matrix: exclude item ${index + 1} has key '${stray}', which is not a dimension. ` +
          `Expected keys among: ${keys.join(', ') || '(no dimensions)'}.`
      )
    }
  })
  let product = 1
  for (const [, values] of spec.dimensions) {
    product *= values.length
    if (product > MAX_COMBINATIONS) {
      throw new Error(
        `Invalid matrix: ${sizeOf(spec.dimensions)} combinations. ` +
          `Expected at most ${count(MAX_COMBINATIONS)}.`
      )
    }
  }
}

/** Every combination of one value per dimension, the first dimension outermost; none without dimensions. */
function crossProduct(dimensions: MatrixSpec['dimensions']): { [key: string]: Item }[] {
  if (dimensions.length === 0) return []
  let combinations: [string, Item][][] = [[]]
  for (const [key, values] of dimensions) {
    combinations = combinations.flatMap(pairs =>
      values.map((value): [string, Item][] => [...pairs, [key, value]])
    )
  }
  return combinations.map(objectOf)
}

/** Whether every key of an exclude entry matches the combination's value (see matchesValue). */
function matchesPartially(entry: MatrixEntry, combination: { [key: string]: Item }): boolean {
  return Object.entries(entry).every(
    ([key, value]) => Object.hasOwn(combination, key) && matchesValue(value, combination[key])
  )
}

/**
 * Whether an exclude value matches: a mapping matches an object holding each of its keys with a
 * matching value (as the runner's path filters `matrix.config.os`); anything else must be equal
 * as `==` finds it (expressionEqual).
 */
function matchesValue(filter: Item, value: Item | undefined): boolean {
  if (isMapping(filter) && isMapping(value)) {
    return Object.entries(filter).every(
      ([key, inner]) => Object.hasOwn(value, key) && matchesValue(inner, value[key])
    )
  }
  return expressionEqual(filter, value)
}

/** An object of the pairs, in their order; `__proto__` stays a key, never the prototype. */
function objectOf(pairs: readonly (readonly [string, Item])[]): { [key: string]: Item } {
  const object: { [key: string]: Item } = {}
  for (const [key, value] of pairs) put(object, key, value)
  return object
}

/** Sets an own key (a new one last, an existing one in place), `__proto__` included. */
function put(object: { [key: string]: Item }, key: string, value: Item): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}

/** `300 × 300 = 90,000`, or with many dimensions `2 × 2 × … (1,100 dimensions) = more than 10^15`. */
function sizeOf(dimensions: MatrixSpec['dimensions']): string {
  const lengths = dimensions.map(([, list]) => count(list.length))
  const shown =
    lengths.length <= 8
      ? lengths.join(' × ')
      : `${lengths.slice(0, 4).join(' × ')} × … (${count(lengths.length)} dimensions)`
  const all = dimensions.reduce((size, [, list]) => size * list.length, 1)
  return `${shown} = ${all <= Number.MAX_SAFE_INTEGER ? count(all) : 'more than 2^53'}`
}
