import { describe, expect, it } from '@jest/globals'
import { cut, itemLabel } from '../../src/model/labels.js'

describe('itemLabel', () => {
  it('shows control characters as visible symbols so an item stays on one line', () => {
    expect(itemLabel('a\nb\tc\r\u001b[31m')).toBe('a⏎b⇥c��[31m')
  })

  it('shows non-string items as JSON and cuts long ones', () => {
    expect(itemLabel({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}')
    expect(itemLabel('x'.repeat(100), 10)).toBe('xxxxxxxxx…')
  })
})

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 4)).toBe('ab…')
    expect(cut('abc', 3)).toBe('abc')
  })
})
