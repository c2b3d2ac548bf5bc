import { describe, expect, it } from '@jest/globals'
import {
  expressionEqual,
  expressionNumber,
  upperCase
} from '../../src/model/expression-equality.js'
import { type Item } from '../../src/model/item.js'

describe('expressionNumber: the coercion table of GitHub\'s "Operators" docs', () => {
  it.each<[Item, number]>([
    [null, 0],
    [true, 1],
    [false, 0],
    ['', 0],
    ['  ', 0],
    ['20', 20],
    [' 20\n', 20],
    ['-2.99e-2', -0.0299],
    ['2E1', 20],
    ['+20', 20],
    ['020', 20],
    ['.5', 0.5],
    ['20.', 20],
    ['0xff', 255],
    ['0xFF', 255],
    ['0o17', 15],
    ['0x7fffffff', 2_147_483_647],
    // The runner parses 0x… as a 32-bit integer: the top bit is the sign, more bits fail.
    ['0xffffffff', -1],
    ['0x000000000ff', 255]
  ])('%p is %p', (value, number) => {
    expect(expressionNumber(value)).toBe(number)
  })

  it.each<Item>([
    'abc',
    '20abc',
    '1,000',
    '0X1F',
    '0b101',
    '-0x10',
    '0x',
    '0x100000000',
    '0o8',
    'e5',
    '.',
    '1e',
    'NaN',
    '٢٠',
    '\ufeff20',
    [],
    [20],
    {},
    { n: 20 }
  ])('%p is NaN', value => {
    expect(expressionNumber(value)).toBeNaN()
  })
})

describe("expressionEqual: GitHub's `==`", () => {
  it.each<[Item, Item]>([
    ['20', 20],
    [20, '20'],
    ['0x14', 20],
    ['2e1', 20],
    [' 20 ', 20],
    ['Linux', 'linux'],
    ['UBUNTU-LATEST', 'ubuntu-latest'],
    [true, 1],
    [true, '1'],
    [false, 0],
    [false, ''],
    ['', 0],
    ['', null],
    [null, 0],
    [null, false],
    [null, null],
    [-0, 0],
    [
      { n: 1, os: 'Linux' },
      { os: 'linux', n: '1' }
    ],
    [
      [1, 'A'],
      ['1', 'a']
    ],
    [{ inner: [{ v: true }] }, { inner: [{ v: 1 }] }]
  ])('%p == %p', (a, b) => {
    expect(expressionEqual(a, b)).toBe(true)
    expect(expressionEqual(b, a)).toBe(true)
  })

  it.each<[Item, Item]>([
    ['abc', 0],
    ['abc', 20],
    ['20', '20.0'],
    ['20', ' 20'],
    ['0x14', '20'],
    [true, 2],
    [true, 'true'],
    [null, 'null'],
    [null, 'abc'],
    [[], 0],
    [[], ''],
    [{}, null],
    [[20], 20],
    [{ n: 1 }, [1]],
    [{ n: 1 }, { n: 1, m: 2 }],
    [{ n: 1 }, { N: 1 }],
    [
      [1, 2],
      [2, 1]
    ],
    [[1], [1, 1]]
  ])('%p != %p', (a, b) => {
    expect(expressionEqual(a, b)).toBe(false)
    expect(expressionEqual(b, a)).toBe(false)
  })

  it('is not transitive across types, as `==` is not', () => {
    expect(expressionEqual('12', 12)).toBe(true)
    expect(expressionEqual('0xC', 12)).toBe(true)
    // Two strings compare as strings, never as numbers.
    expect(expressionEqual('12', '0xC')).toBe(false)
  })
})

describe('upperCase: ordinal, ignoring case, as .NET OrdinalIgnoreCase', () => {
  it.each([
    ['Linux', 'linux'],
    ['ÄÖÜ-é', 'äöü-É'],
    ['ΣΑΣ', 'σας'],
    ['ς', 'σ'],
    ['ǅ', 'ǆ'],
    ['ᾳ', 'ᾼ'],
    ['ᾀ', 'ᾈ'],
    ['𐐨', '𐐀']
  ])('%s equals %s', (a, b) => {
    expect(upperCase(a)).toBe(upperCase(b))
    expect(expressionEqual(a, b)).toBe(true)
  })

  // toLowerCase would find the Kelvin sign (U+212A) equal to k; toUpperCase would find ß equal to SS.
  it.each([
    ['\u212a', 'k'],
    ['ß', 'SS'],
    ['ß', 'ss'],
    ['ﬁ', 'FI'],
    ['ı', 'I'],
    ['ſ', 'S'],
    ['İ', 'i'],
    ['\u212b', '\u00e5']
  ])('%s differs from %s', (a, b) => {
    expect(expressionEqual(a, b)).toBe(false)
  })
})
