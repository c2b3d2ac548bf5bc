import { describe, expect, it } from '@jest/globals'
import * as fc from 'fast-check'
import { cut } from '../../src/model/labels.js'
import {
  ANNOTATION_LINES,
  annotationError,
  annotationLines
} from '../../src/report/annotation-lines.js'

describe('annotationLines', () => {
  it('keeps a short excerpt whole, and gives nothing for no output', () => {
    expect(annotationLines('one\ntwo\n')).toEqual(['one', 'two'])
    expect(annotationLines('')).toEqual([])
  })

  it('picks the early lines that look like failures, then the last lines', () => {
    const excerpt = [
      '── output of attempt 2 of 2; attempt 1 failed (exit code 1) ──',
      '> jest',
      '\u001b[1m\u001b[41m FAIL \u001b[49m\u001b[22m packages/web/src/__tests__/router.test.tsx',
      '  ● router › redirects',
      '    expect(received).toBe(expected)',
      ...Array.from({ length: 30 }, (_, i) => `    at frame ${i} (index.js:${i}:7)`),
      'Tests:       1 failed, 41 passed, 42 total',
      'Time:        3.2 s'
    ].join('\n')
    expect(annotationLines(excerpt)).toEqual([
      '── output of attempt 2 of 2; attempt 1 failed (exit code 1) ──',
      '…',
      ' FAIL  packages/web/src/__tests__/router.test.tsx',
      '  ● router › redirects',
      '…',
      '    at frame 27 (index.js:27:7)',
      '    at frame 28 (index.js:28:7)',
      '    at frame 29 (index.js:29:7)',
      'Tests:       1 failed, 41 passed, 42 total',
      'Time:        3.2 s'
    ])
  })

  it('gives the last lines when none looks like a failure, and cuts long lines', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `step ${i}`)
    expect(annotationLines(lines.join('\n'))).toEqual(['…', ...lines.slice(-ANNOTATION_LINES)])
    const [long] = annotationLines('x'.repeat(10_000))
    expect(long).toBe('x'.repeat(299) + '…')
  })

  it('removes terminal codes, control characters and bidi controls, tabs kept; a redrawn line shows its last state', () => {
    const excerpt = [
      '\u001b]8;;https://example.com\u0007a link\u001b]8;;\u0007 and \u001b]0;a title\u001b\\text',
      '\u001b[31mred\u001b[0m\tafter a tab',
      'Downloading 10%\rDownloading 100%\r\r',
      'windows line\r',
      'an \u202eoverride\u202c and \u2067isolate\u2069',
      'nul\u0000 bell\u0007 backspace\b esc\u001b( del\u007f c1\u009b1m'
    ].join('\n')
    const plain = [
      'a link and text',
      'red\tafter a tab',
      'Downloading 100%',
      'windows line',
      'an override and isolate',
      'nul bell backspace esc( del c11m'
    ]
    expect(annotationLines(excerpt)).toEqual(plain)
    expect(annotationError(excerpt)).toBe(plain.join('\n'))
  })

  it('leaves no control character but tab in any line it shows', () => {
    const controls = '\u0000\u0007\b\t\r\u000b\u000c\u001b\u007f\u0085\u009b\u009c'
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom(...controls, 'a', ']', '[', '\\', ';', '0', 'm', '\n') }),
      fc.constantFrom('\u001b]8;;x\u0007', '\u001b]0;t\u001b\\', '\u001b[1;31m', 'error: x')
    )
    let cases = 0
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), pieces => {
        cases++
        const text = pieces.join('')
        for (const shown of [...annotationLines(text), annotationError(text)]) {
          // eslint-disable-next-line no-control-regex
          expect(shown.replace(/\n/g, '')).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/)
        }
      }),
      { numRuns: 2000 }
    )
    expect(cases).toBe(2000)
  })

  it('shows at most 8 lines of the excerpt, in order, its last included, `…` where it skips', () => {
    const line = fc.oneof(
      fc.constantFrom('error: boom', 'FAIL a.test.ts', 'ok', '', '… 3 lines left out …'),
      fc.string({ maxLength: 400 })
    )
    let cases = 0
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), lines => {
        cases++
        // Numbered so that each line can be told apart from the others.
        const excerpt = lines.map((text, index) => `${index}:${text}`).join('\n')
        const shown = annotationLines(excerpt)
        const original = excerpt
          .trimEnd()
          .split('\n')
          .map(text => cut(text.trimEnd(), 300))
        if (excerpt.trimEnd() === '') {
          expect(shown).toEqual([])
          return
        }
        // Walk the original along what is shown: every shown line is the next one, or follows a `…`.
        let next = 0
        let content = 0
        for (let at = 0; at < shown.length; at++) {
          if (shown[at] === '…') {
            const found = original.indexOf(shown[at + 1] as string, next + 1)
            expect(found).toBeGreaterThan(next)
            next = found
            continue
          }
          expect(shown[at]).toBe(original[next])
          next++
          content++
        }
        expect(next).toBe(original.length)
        expect(content).toBe(Math.min(original.length, ANNOTATION_LINES))
        expect(shown.join('\n').length).toBeLessThan(4000)
      }),
      { numRuns: 1000 }
    )
    expect(cases).toBe(1000)
  })
})
