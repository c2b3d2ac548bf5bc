import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { FULL_RECORD, fullShardReport } from '../helpers/full-report.js'

/** Every lock name made here starts with this, so a message that shows one is found. */
const MARK = 'zqlock'

describe("a results file's locks", () => {
  it('are refused, whatever they hold, by position and kind of value, never by name', () => {
    const good = JSON.parse(resultsFileText(fullShardReport([{ ...FULL_RECORD }]))) as {
      results: Record<string, unknown>[]
    }
    const name = fc.string({ maxLength: 12 }).map(text => `${MARK}${text}`)
    const entry = fc.oneof(
      { weight: 6, arbitrary: name },
      fc.constant(''),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      name.map(text => ({ name: text })),
      name.map(text => [text])
    )
    const locks = fc.oneof(
      { weight: 3, arbitrary: fc.array(entry, { maxLength: 6 }) },
      // Lists of names, some empty, some repeated (drawn from two names).
      {
        weight: 5,
        arbitrary: fc.array(
          fc.oneof({ weight: 2, arbitrary: name }, fc.constant(''), {
            weight: 4,
            arbitrary: fc.constantFrom(`${MARK}db`, `${MARK}5432`)
          }),
          { maxLength: 5 }
        )
      },
      name,
      name.map(text => ({ [text]: text })),
      fc.integer()
    )
    /** Each way a list of locks is refused, and how often it was. */
    const refusals: [string, RegExp][] = [
      ['repeats', /\.locks\[\d+\]' repeats locks\[\d+\]\. Expected each lock once\.$/],
      ['empty', /\.locks\[\d+\]' is "". Expected a lock name, not empty\.$/],
      ['kind', /\.locks\[\d+\]' is (an? \w+|null)\. Expected a lock name \(a string\)\.$/],
      ['list', /\.locks' is (an? \w+|null)\. Expected a list of lock names\.$/],
      ['none', /\.locks' is \[\]\. Expected the locks the task held, else no locks\.$/]
    ]
    const seen: Record<string, number> = { read: 0 }
    fc.assert(
      fc.property(locks, value => {
        const file = structuredClone(good)
        ;(file.results[0] as Record<string, unknown>).locks = value
        let message = ''
        try {
          parseResultsFile(JSON.stringify(file), 'r.json')
        } catch (error) {
          message = (error as Error).message
        }
        expect(message).not.toContain(MARK)
        const [kind] = refusals.find(([, pattern]) => pattern.test(message)) ?? ['read']
        if (kind === 'read') expect(message).toBe('')
        seen[kind] = (seen[kind] ?? 0) + 1
      }),
      { seed: 20261207, numRuns: 600 }
    )
    // Each way reached often: read 114, repeats 56, empty 74, kind 122, list 163, none 71.
    for (const kind of ['read', 'repeats', 'empty', 'kind', 'list', 'none']) {
      expect(seen[kind]).toBeGreaterThan(40)
    }
  })
})
