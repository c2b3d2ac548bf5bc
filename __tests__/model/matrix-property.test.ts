import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type Item } from '../../src/model/item.js'
import { expandMatrix, type MatrixEntry, type MatrixSpec } from '../../src/model/matrix.js'

type Combination = { [key: string]: Item }

/** Counts of the cases the property reached. */
interface Reached {
  addedToSeveral: number
  addedValueOverwritten: number
  appended: number
  includeOnly: number
  addedBack: number
  /** Include or exclude decisions that only `==` makes: a string met a number, say `'12'` 12. */
  looseStringNumber: number
  /** The same, for two strings that differ in case only. */
  looseCase: number
  /** The same, for true, null or '' taken as a number (true 1, null 0, '' 0). */
  looseCoerced: number
}

// Few values and keys, so that entries often match, overlap and collide; some equal only by `==`.
const POOL: Item[] = [
  'a',
  'A',
  12,
  '12',
  '0xC',
  true,
  1,
  '',
  null,
  { n: 1 },
  { n: '1' },
  { n: 1, m: 2 },
  { m: 2, n: 1 },
  [1, 2],
  ['1', 2]
]

// The docs' table, written out for the pool's strings: "any legal JSON number format", hex too.
const NUMBER_OF: Record<string, number> = { a: NaN, A: NaN, '12': 12, '0xC': 12, '': 0, '1': 1 }

/** The docs' "GitHub coerces the type to a number" table: null 0, booleans 0 and 1, lists NaN. */
function toNumber(value: unknown): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    if (!(value in NUMBER_OF)) throw new Error(`no number written for '${value}'`)
    return NUMBER_OF[value] as number
  }
  return NaN
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v)

/**
 * `==` read from the docs: the same type compares as it is (strings ignoring case: the pool's
 * are ASCII), different types as numbers, NaN equal to nothing; two lists or two mappings
 * member by member.
 */
function looseEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((member, index) => looseEqual(member, b[index]))
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => key in b && looseEqual(a[key], b[key]))
    )
  }
  if (typeOf(a) !== typeOf(b)) return toNumber(a) === toNumber(b)
  if (typeof a === 'string') return a.toUpperCase() === (b as string).toUpperCase()
  return a === b
}

/** Canonical JSON: object keys sorted, so that exactly equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (isMap(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map(key => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** Whether a filter value matches partially: a mapping by its keys, anything else by `==`. */
function partial(filter: unknown, value: unknown): boolean {
  if (isMap(filter) && isMap(value)) {
    return Object.keys(filter).every(key => key in value && partial(filter[key], value[key]))
  }
  return looseEqual(filter, value)
}

/** The kinds of `==`-only equality in a matched pair, walking lists and mappings in step. */
function looseKinds(a: unknown, b: unknown, kinds: Set<keyof Reached>): void {
  if (Array.isArray(a) && Array.isArray(b)) a.forEach((m, i) => looseKinds(m, b[i], kinds))
  else if (isMap(a) && isMap(b)) for (const key of Object.keys(a)) looseKinds(a[key], b[key], kinds)
  else if (canonical(a) === canonical(b)) return
  else if (typeof a === 'string' && typeof b === 'string') kinds.add('looseCase')
  else if ([a, b].some(v => typeof v === 'number') && [a, b].some(v => typeof v === 'string'))
    kinds.add('looseStringNumber')
  else kinds.add('looseCoerced')
}

/** Counts a matching decision by the kinds of `==`-only equality it needed. */
function countLoose(entry: MatrixEntry, combination: Combination, reached: Reached): void {
  const kinds = new Set<keyof Reached>()
  for (const key of Object.keys(entry)) {
    if (key in combination) looseKinds(entry[key], combination[key], kinds)
  }
  for (const kind of kinds) reached[kind]++
}

/** The four rules read literally, one combination at a time, counting the cases met. */
function reference(
  spec: MatrixSpec,
  reached: Reached
): { originals: Combination[]; appended: Combination[] } {
  const product = (dimensions: MatrixSpec['dimensions']): Combination[] => {
    if (dimensions.length === 0) return [{}]
    const [[key, values], ...rest] = dimensions as [[string, Item[]], ...[string, Item[]][]]
    return values.flatMap(value => product(rest).map(tail => ({ [key]: value, ...tail })))
  }
  const all = spec.dimensions.length === 0 ? [] : product(spec.dimensions)
  const excluded = all.filter(combination =>
    spec.exclude.some(entry => {
      const matches = Object.keys(entry).every(key => partial(entry[key], combination[key]))
      if (matches) countLoose(entry, combination, reached)
      return matches
    })
  )
  const originals = all.filter(combination => !excluded.includes(combination))
  const originalKeys = spec.dimensions.map(([key]) => key)
  const addedBy = originals.map(() => new Map<string, Item>())
  const appended: Combination[] = []
  for (const entry of spec.include) {
    let addedTo = 0
    originals.forEach((combination, index) => {
      const overwritesOriginal = Object.keys(entry).some(
        key => originalKeys.includes(key) && !looseEqual(entry[key], combination[key])
      )
      if (overwritesOriginal) return
      addedTo++
      countLoose(entry, combination, reached)
      for (const [key, value] of Object.entries(entry)) {
        // An original value is never overwritten, not even by one only `==` to it.
        if (originalKeys.includes(key)) continue
        const added = addedBy[index] as Map<string, Item>
        if (added.has(key) && canonical(added.get(key)) !== canonical(value))
          reached.addedValueOverwritten++
        added.set(key, value)
        combination[key] = value
      }
    })
    if (addedTo > 1) reached.addedToSeveral++
    if (addedTo === 0) {
      appended.push({ ...entry })
      reached.appended++
      if (excluded.some(gone => looseEqual(gone, entry))) reached.addedBack++
    }
  }
  if (spec.dimensions.length === 0 && spec.include.length > 0) reached.includeOnly++
  return { originals, appended }
}

const value = fc.constantFrom(...POOL)
const entryOver = (keys: string[], min: number) =>
  fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: min, maxLength: 3 })
    .chain(chosen =>
      fc
        .tuple(...chosen.map(key => value.map(v => [key, v] as [string, Item])))
        .map(pairs => Object.fromEntries(pairs) as MatrixEntry)
    )
const specs: fc.Arbitrary<MatrixSpec> = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 })
  .chain(keys =>
    fc.record({
      dimensions: fc.tuple(
        ...keys.map(key =>
          fc.array(value, { minLength: 1, maxLength: 3 }).map(list => [key, list] as const)
        )
      ),
      exclude: keys.length === 0 ? fc.constant([]) : fc.array(entryOver(keys, 1), { maxLength: 3 }),
      // Some entries name every dimension, so that one may add back an excluded combination.
      include: fc.array(
        keys.length === 0
          ? entryOver(['a', 'b', 'c', 'd', 'e'], 0)
          : fc.oneof(entryOver(['a', 'b', 'c', 'd', 'e'], 0), entryOver(keys, keys.length)),
        { maxLength: 4 }
      )
    })
  )

describe('the rules, against a literal reading of them', () => {
  it('expands 3,000 random small matrices as the reference does, keys in the same order', () => {
    const reached: Reached = {
      addedToSeveral: 0,
      addedValueOverwritten: 0,
      appended: 0,
      includeOnly: 0,
      addedBack: 0,
      looseStringNumber: 0,
      looseCase: 0,
      looseCoerced: 0
    }
    let cases = 0
    fc.assert(
      fc.property(specs, spec => {
        cases++
        const { originals, appended } = reference(spec, reached)
        const actual = expandMatrix(spec)
        // As text: the key order of nested objects, and each value's type and case, count too.
        expect(JSON.stringify(actual)).toBe(JSON.stringify([...originals, ...appended]))
        // No combination an exclude entry matches survives unless include brought it.
        for (const combination of actual.slice(0, originals.length)) {
          for (const entry of spec.exclude) {
            expect(Object.keys(entry).every(key => partial(entry[key], combination[key]))).toBe(
              false
            )
          }
        }
        // The last include entry's pairs are all somewhere: no later entry overwrites them.
        const last = spec.include.at(-1) ?? {}
        const holdsLast = (combination: Combination): boolean =>
          Object.keys(last).every(key => looseEqual(last[key], combination[key]))
        expect(spec.include.length === 0 || actual.some(holdsLast)).toBe(true)
      }),
      { numRuns: 3000, seed: 20261207 }
    )
    expect(cases).toBe(3000)
    console.log(`matrix property: ${cases} cases, reached ${JSON.stringify(reached)}`)
    expect(reached.addedToSeveral).toBeGreaterThan(200)
    expect(reached.addedValueOverwritten).toBeGreaterThan(100)
    expect(reached.appended).toBeGreaterThan(500)
    expect(reached.includeOnly).toBeGreaterThan(100)
    expect(reached.addedBack).toBeGreaterThan(10)
    expect(reached.looseStringNumber).toBeGreaterThan(300)
    expect(reached.looseCase).toBeGreaterThan(60)
    expect(reached.looseCoerced).toBeGreaterThan(150)
  })
})
