import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse } from 'yaml'
import { type Item } from '../../src/model/item.js'
import { expandMatrix, type MatrixEntry, type MatrixSpec } from '../../src/model/matrix.js'
import { MATRIX_EXAMPLES } from '../helpers/matrix-examples.js'

type Combination = { [key: string]: Item }

/** A spec from a matrix written as GitHub's docs write it (the YAML checks are parseMatrix's). */
function specOf(yaml: string): MatrixSpec {
  const { include = [], exclude = [], ...dimensions } = parse(yaml) as Record<string, unknown>
  return {
    dimensions: Object.entries(dimensions) as [string, Item[]][],
    include: include as MatrixEntry[],
    exclude: exclude as MatrixEntry[]
  }
}

/** The combinations with their keys in order, so that key order is compared too. */
const ordered = (combinations: object[]): [string, unknown][][] =>
  combinations.map(combination => Object.entries(combination))

describe("GitHub's documented examples", () => {
  it('creates combinations in the order of the variables, the first one outermost', () => {
    const spec = specOf('version: [10, 12, 14]\nos: [ubuntu-latest, windows-latest]')
    expect(ordered(expandMatrix(spec))).toEqual(
      ordered([
        { version: 10, os: 'ubuntu-latest' },
        { version: 10, os: 'windows-latest' },
        { version: 12, os: 'ubuntu-latest' },
        { version: 12, os: 'windows-latest' },
        { version: 14, os: 'ubuntu-latest' },
        { version: 14, os: 'windows-latest' }
      ])
    )
  })

  it.each(MATRIX_EXAMPLES)('$name', ({ yaml, expected }) => {
    expect(ordered(expandMatrix(specOf(yaml)))).toEqual(ordered(expected))
  })

  it('lets include add back a combination that exclude dropped, at the end', () => {
    const spec = specOf(
      'os: [linux, mac]\nnode: [18, 20]\nexclude: [{os: mac}]\ninclude: [{os: mac, node: 20}]'
    )
    expect(expandMatrix(spec)).toEqual([
      { os: 'linux', node: 18 },
      { os: 'linux', node: 20 },
      { os: 'mac', node: 20 }
    ])
  })
})

describe('values compare as JSON, exactly', () => {
  it('tells a number from a string and case apart, in include and exclude', () => {
    const spec = specOf(
      "os: [Linux, linux]\nnode: [12, '12']\nexclude: [{os: linux, node: 12}]\n" +
        "include: [{node: '12', npm: 6}]"
    )
    expect(expandMatrix(spec)).toEqual([
      { os: 'Linux', node: 12 },
      { os: 'Linux', node: '12', npm: 6 },
      { os: 'linux', node: '12', npm: 6 }
    ])
  })

  it('matches objects whatever their key order, and an exclude mapping partially', () => {
    const spec = specOf(
      'config:\n  - {cc: gcc, version: 12}\n  - {cc: clang, version: 17}\n' +
        'exclude: [{config: {cc: clang}}]\ninclude: [{config: {version: 12, cc: gcc}, flags: -O2}]'
    )
    expect(expandMatrix(spec)).toEqual([{ config: { cc: 'gcc', version: 12 }, flags: '-O2' }])
    // In include, a mapping must equal the value: {cc: gcc} alone is another value.
    const partial = specOf(
      'config: [{cc: gcc, version: 12}]\ninclude: [{config: {cc: gcc}, flags: -O2}]'
    )
    expect(expandMatrix(partial)).toEqual([
      { config: { cc: 'gcc', version: 12 } },
      { config: { cc: 'gcc' }, flags: '-O2' }
    ])
  })

  it('keeps __proto__ an ordinary key, never the prototype', () => {
    const entry = JSON.parse('{"__proto__": "x", "b": 1}') as MatrixEntry
    const [combination] = expandMatrix({ dimensions: [], include: [entry], exclude: [] })
    expect(Object.getPrototypeOf(combination)).toBe(Object.prototype)
    expect(Object.entries(combination as object)).toEqual([
      ['__proto__', 'x'],
      ['b', 1]
    ])
  })
})

describe('matrices that give nothing, or too much', () => {
  it('gives no combination for an empty matrix, or when exclude drops them all', () => {
    expect(expandMatrix({ dimensions: [], include: [], exclude: [] })).toEqual([])
    expect(expandMatrix(specOf('os: [a, b]\nexclude: [{os: a}, {os: b}]'))).toEqual([])
  })

  it('refuses an empty dimension, an empty exclude entry and an exclude key that is no dimension', () => {
    expect(() => expandMatrix(specOf('os: []'))).toThrow(
      "Invalid matrix: dimension 'os' is an empty list. Expected at least one value."
    )
    expect(() => expandMatrix(specOf('os: [a]\nexclude: [{os: a}, {}]'))).toThrow(
      'Invalid matrix: exclude item 2 is empty. Expected a mapping of dimensions to values such as {os: linux, node: 20}.'
    )
    expect(() => expandMatrix(specOf('os: [a]\nnode: [1]\nexclude: [{arch: x64}]'))).toThrow(
      "Invalid matrix: exclude item 1 has key 'arch', which is not a dimension. Expected keys among: os, node."
    )
  })

  it('refuses more than 65,536 combinations before building them', () => {
    const values = (n: number): number[] => Array.from({ length: n }, (_, index) => index)
    const big: MatrixSpec = {
      dimensions: [
        ['a', values(300)],
        ['b', values(300)]
      ],
      include: [],
      exclude: []
    }
    expect(() => expandMatrix(big)).toThrow(
      'Invalid matrix: 300 × 300 = 90,000 combinations. Expected at most 65,536.'
    )
    const edge: MatrixSpec = { dimensions: [['a', values(65_536)]], include: [], exclude: [] }
    expect(expandMatrix(edge)).toHaveLength(65_536)
    const over = { ...edge, include: [{ a: -1 }, { a: -2 }] }
    expect(() => expandMatrix(over)).toThrow(
      'Invalid matrix: 65,536 combinations and 2 from include make 65,538. Expected at most 65,536.'
    )
  })
})

/** Counts of the cases the property reached. */
interface Reached {
  addedToSeveral: number
  addedValueOverwritten: number
  appended: number
  includeOnly: number
  addedBack: number
}

/** Canonical JSON: object keys sorted, so that equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    const record = value as Record<string, unknown>
    return `{${keys.map(key => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** Whether a filter value matches partially: a mapping by its keys, anything else equal. */
function partial(filter: unknown, value: unknown): boolean {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
  if (isMap(filter) && isMap(value)) {
    return Object.keys(filter).every(key => key in value && partial(filter[key], value[key]))
  }
  return canonical(filter) === canonical(value)
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
    spec.exclude.some(entry =>
      Object.keys(entry).every(key => partial(entry[key], combination[key]))
    )
  )
  const originals = all.filter(combination => !excluded.includes(combination))
  const originalKeys = spec.dimensions.map(([key]) => key)
  const addedBy = originals.map(() => new Map<string, Item>())
  const appended: Combination[] = []
  for (const entry of spec.include) {
    let addedTo = 0
    originals.forEach((combination, index) => {
      const overwritesOriginal = Object.keys(entry).some(
        key => originalKeys.includes(key) && canonical(entry[key]) !== canonical(combination[key])
      )
      if (overwritesOriginal) return
      addedTo++
      for (const [key, value] of Object.entries(entry)) {
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
      if (excluded.some(gone => canonical(gone) === canonical(entry))) reached.addedBack++
    }
  }
  if (spec.dimensions.length === 0 && spec.include.length > 0) reached.includeOnly++
  return { originals, appended }
}

// Few values and keys, so that entries often match, overlap and collide.
const POOL: Item[] = ['a', 'A', 12, '12', { n: 1 }, { n: 1, m: 2 }, { m: 2, n: 1 }, [1, 2]]
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
      addedBack: 0
    }
    let cases = 0
    fc.assert(
      fc.property(specs, spec => {
        cases++
        const { originals, appended } = reference(spec, reached)
        const actual = expandMatrix(spec)
        expect(ordered(actual)).toEqual(ordered([...originals, ...appended]))
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
          Object.keys(last).every(key => canonical(last[key]) === canonical(combination[key]))
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
  })
})
