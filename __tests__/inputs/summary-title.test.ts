import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  DEFAULT_SUMMARY_TITLE,
  MAX_SUMMARY_TITLE_CHARS,
  parseSummaryTitle
} from '../../src/inputs/summary-title.js'

describe('parseSummaryTitle', () => {
  it('is the step’s id when none is given and the step has an id the workflow gave it', () => {
    expect(parseSummaryTitle('', 'lint-and-test')).toBe('lint-and-test')
    expect(parseSummaryTitle('', '_build_2')).toBe('_build_2')
  })

  it('is parallel-exec for a step without an id: the runner’s generated names start with __', () => {
    for (const generated of [
      '__run',
      '__run_2',
      '__owner_parallel-exec',
      '__self',
      '',
      undefined
    ]) {
      expect(parseSummaryTitle('', generated)).toBe(DEFAULT_SUMMARY_TITLE)
    }
  })

  it('takes any one line of characters, trimmed, up to the length limit', () => {
    expect(parseSummaryTitle('  <b>Lint</b> & [test](x) 🧪 ', '__run')).toBe(
      '<b>Lint</b> & [test](x) 🧪'
    )
    const longest = '🧪'.repeat(MAX_SUMMARY_TITLE_CHARS)
    expect(parseSummaryTitle(longest, undefined)).toBe(longest)
  })

  it('refuses a title of blanks, of several lines, or too long, naming the input', () => {
    expect(() => parseSummaryTitle(' \t ', 'x')).toThrow(
      "Invalid summary-title ' ⇥ '. Expected a title with some text, or none for the step's id."
    )
    for (const lines of ['a\nb', 'a\r\nb', 'a\rb', 'a\u2028b', 'a\u0085b']) {
      expect(() => parseSummaryTitle(lines, 'x')).toThrow(
        /^Invalid summary-title '.*'\. Expected one line: the title of the job summary\.$/
      )
    }
    expect(() => parseSummaryTitle('x'.repeat(MAX_SUMMARY_TITLE_CHARS + 1), 'x')).toThrow(
      `Invalid summary-title '${'x'.repeat(59)}…'. Expected at most 100 characters.`
    )
  })

  it('gives back every one-line title it accepts as written, trimmed (property)', () => {
    let tried = 0
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), value => {
        tried++
        let title: string
        try {
          title = parseSummaryTitle(value, undefined)
        } catch (error) {
          expect((error as Error).message).toMatch(/^Invalid summary-title '/)
          return
        }
        if (value === '') expect(title).toBe(DEFAULT_SUMMARY_TITLE)
        else expect(title).toBe(value.trim())
        expect(title).not.toMatch(/[\n\r\u0085\u2028\u2029]/)
      }),
      { numRuns: 2000 }
    )
    expect(tried).toBe(2000)
  })
})
