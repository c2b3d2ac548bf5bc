import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TaskStatus } from '../../src/model/task-status.js'
import { buildSummary } from '../../src/report/summary.js'
import { middleCut } from '../../src/report/summary-text.js'
import { record, report } from '../helpers/records.js'

describe('middleCut', () => {
  it('keeps text that fits, else its start and its end around one …, within max characters', () => {
    let cutCount = 0
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '😀', '\ud800', '\udc00'), maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (text, max) => {
          const shown = middleCut(text, max)
          expect(shown.length).toBeLessThanOrEqual(max)
          if (text.length <= max) return expect(shown).toBe(text)
          cutCount++
          const [head, tail] = shown.split('…') as [string, string]
          expect(shown.split('…')).toHaveLength(2)
          expect(text.startsWith(head)).toBe(true)
          expect(text.endsWith(tail)).toBe(true)
          // Both ends get about half; one less where a pair would be split.
          expect(head.length + tail.length).toBeGreaterThanOrEqual(max - 3)
          // No pair of the original is split at either cut.
          expect(
            /[\ud800-\udbff]$/.test(head) && /^[\udc00-\udfff]/.test(text.slice(head.length))
          ).toBe(false)
          const tailFrom = text.length - tail.length
          expect(
            /^[\udc00-\udfff]/.test(tail) && /[\ud800-\udbff]$/.test(text.slice(0, tailFrom))
          ).toBe(false)
        }
      ),
      { numRuns: 2000 }
    )
    expect(cutCount).toBeGreaterThan(200)
  })
})

describe('the task table', () => {
  it('cuts a long name in its middle, so the row keeps its start, its end and every column', () => {
    const long = `tests/${'deep/'.repeat(56)}test_api.py::test_get[case-17]`
    expect(long.length).toBeGreaterThan(300)
    const thread = { thread: 'PRRT_kwDO' + 'x'.repeat(200), kind: 'review', line: 42 }
    const text = buildSummary(
      report([record(0, long, TaskStatus.Failure), record(1, thread, TaskStatus.Success)])
    )
    const rows = text.split('\n').filter(line => line.startsWith('<tr><td>'))
    expect(rows).toHaveLength(2)
    const names = rows.map(row => /<td><code>(.*?)<\/code><\/td>/.exec(row)?.[1] ?? '')
    expect(names[0]).toMatch(/^tests\/deep\/deep\/.*….*test_api\.py::test_get\[case-17\]$/)
    expect(names[1]).toMatch(/^thread=PRRT_kwDO.*….*, kind=review, line=42$/)
    for (const name of names) expect(name.replace(/&quot;/g, '"').length).toBe(80)
  })
})
