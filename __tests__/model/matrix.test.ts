import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { type Item } from '../../src/model/item.js'
import { expandMatrix, type MatrixEntry, type MatrixSpec } from '../../src/model/matrix.js'
import { MATRIX_EXAMPLES } from '../helpers/matrix-examples.js'

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

describe("values compare as GitHub's expression `==` does", () => {
  it("adds an include whose '20' equals the dimension's 20 to that combination, keeping 20", () => {
    const spec = specOf(
      'os: [ubuntu-latest, windows-latest]\nnode: [20, 22]\n' +
        "include:\n  - {os: ubuntu-latest, node: '20', coverage: true}"
    )
    // Compared as text: the original number 20 stays, not the include's '20'.
    expect(JSON.stringify(expandMatrix(spec))).toBe(
      JSON.stringify([
        { os: 'ubuntu-latest', node: 20, coverage: true },
        { os: 'ubuntu-latest', node: 22 },
        { os: 'windows-latest', node: 20 },
        { os: 'windows-latest', node: 22 }
      ])
    )
  })

  it.each<[string, string, Item, Item]>([
    ["'20' matches 20", 'node: [20, 22]', '20', 20],
    ["20 matches '20'", "node: ['20', '22']", 20, '20'],
    ['Linux matches linux', 'node: [linux, mac]', 'Linux', 'linux'],
    ['true matches 1', 'node: [1, 2]', true, 1],
    ["'' matches 0", 'node: [0, 2]', '', 0],
    ["'' matches null", 'node: [null, 2]', '', null],
    ["'0x14' matches 20", 'node: [20, 22]', '0x14', 20]
  ])('%s, in include and in exclude', (_, dimension, value, original) => {
    const included = expandMatrix({
      ...specOf(dimension),
      include: [{ node: value, extra: 'x' }]
    })
    expect(included[0]).toEqual({ node: original, extra: 'x' })
    expect(included).toHaveLength(2)
    const excluded = expandMatrix({ ...specOf(dimension), exclude: [{ node: value }] })
    expect(excluded).toHaveLength(1)
    expect(excluded[0]?.node).not.toEqual(original)
  })

  it("never matches 'abc' with a number: the include becomes a new combination", () => {
    const spec = specOf("node: [0, 20]\ninclude: [{node: abc, x: 1}]\nexclude: [{node: ''}]")
    expect(expandMatrix(spec)).toEqual([{ node: 20 }, { node: 'abc', x: 1 }])
    const none = specOf("node: [0, 20]\nexclude: [{node: abc}, {node: '20abc'}]")
    expect(expandMatrix(none)).toEqual([{ node: 0 }, { node: 20 }])
  })

  it('compares two strings as strings, never as numbers', () => {
    const spec = specOf("v: ['12', '0xC', 12]\ninclude: [{v: '12', x: 1}]")
    expect(expandMatrix(spec)).toEqual([{ v: '12', x: 1 }, { v: '0xC' }, { v: 12, x: 1 }])
  })

  it('compares two objects member by member loosely, and an exclude mapping partially', () => {
    const spec = specOf(
      'config:\n  - {cc: gcc, version: 12}\n  - {cc: clang, version: 17}\n' +
        "exclude: [{config: {cc: CLANG}}]\ninclude: [{config: {version: '12', cc: GCC}, flags: -O2}]"
    )
    // The original value stays as written: its keys in their order, its case and its types.
    expect(JSON.stringify(expandMatrix(spec))).toBe(
      JSON.stringify([{ config: { cc: 'gcc', version: 12 }, flags: '-O2' }])
    )
    // In include, a mapping must equal the value: {cc: gcc} alone is another value.
    const partial = specOf(
      'config: [{cc: gcc, version: 12}]\ninclude: [{config: {cc: gcc}, flags: -O2}]'
    )
    expect(expandMatrix(partial)).toEqual([
      { config: { cc: 'gcc', version: 12 } },
      { config: { cc: 'gcc' }, flags: '-O2' }
    ])
    // A list equals a list of equal members in the same order; a list is no scalar.
    const lists = specOf("args: [[1, a], [a, 1]]\ninclude: [{args: ['1', A], x: 1}]")
    expect(expandMatrix(lists)).toEqual([{ args: [1, 'a'], x: 1 }, { args: ['a', 1] }])
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
