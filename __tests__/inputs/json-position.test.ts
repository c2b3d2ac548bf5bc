import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { analyzeJson, lineAndColumn } from '../../src/inputs/json-position.js'

/** Where strict JSON parsing of `text` first fails, as an offset; -1 when it does not. */
const jsonErrorOffset = (text: string): number => analyzeJson(text).error?.offset ?? -1

describe('analyzeJson: where parsing fails', () => {
  it.each([
    ['[1,}', 3],
    ['["a", "b"', 9],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['"\\x"', 2],
    ['"\\u12g4"', 5],
    ['[01]', 2],
    ['[1] x', 4],
    ['tru', 3],
    ['"a\nb"', 2],
    ['', 0]
  ])('finds where %p goes wrong: %p', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset)
  })

  it('returns -1 for valid JSON, as JSON.parse agrees', () => {
    for (const text of ['[]', ' {"a": [1, -2.5e3, true, null, "\\u00e9\\n"]} ', '"x"', '0']) {
      expect(() => JSON.parse(text)).not.toThrow()
      expect(jsonErrorOffset(text)).toBe(-1)
    }
  })
})

describe('the scanner against JSON.parse', () => {
  it('accepts exactly what JSON.parse accepts, on valid JSON and on JSON with a few characters changed', () => {
    const chars = fc.constantFrom(...'{}[]",:\\ \t\nu09afAEtrunlsx-+.e\u0001'.split(''))
    const text = fc.oneof(
      fc.json(),
      fc.string({ unit: chars, maxLength: 30 }),
      fc
        .tuple(fc.json(), fc.nat(40), fc.nat(3), fc.string({ unit: chars, maxLength: 3 }))
        .map(([json, at, cut, inserted]) => json.slice(0, at) + inserted + json.slice(at + cut))
    )
    fc.assert(
      fc.property(text, sample => {
        let parses = true
        try {
          JSON.parse(sample)
        } catch {
          parses = false
        }
        expect(jsonErrorOffset(sample) === -1).toBe(parses)
      }),
      { numRuns: 20_000, seed: 7 }
    )
  })
})

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 })
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })
})
