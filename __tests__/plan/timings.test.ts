import { describe, expect, it } from '@jest/globals'
import { prioritiesFromTimings } from '../../src/plan/timings.js'

/** The start order the executor would use for these priorities (higher first, ties by index). */
const startOrder = (priorities: number[]): number[] =>
  priorities
    .map((_, i) => i)
    .sort((a, b) => (priorities[b] as number) - (priorities[a] as number) || a - b)

describe('prioritiesFromTimings', () => {
  it('starts the longest known first; unknown ones count as average and keep input order', () => {
    const timings = new Map([
      ['a', 100],
      ['b', 2000],
      ['c', 300]
    ])
    // average of known: 800 → the unknowns x, y go between b and c, in input order
    const order = startOrder(
      prioritiesFromTimings(['a', 'x', 'b', 'y', 'c'], [0, 0, 0, 0, 0], timings)
    )
    expect(order.map(i => ['a', 'x', 'b', 'y', 'c'][i])).toEqual(['b', 'x', 'y', 'c', 'a'])
  })

  it('keeps explicit priorities first', () => {
    const timings = new Map([['long', 9000]])
    const order = startOrder(prioritiesFromTimings(['short', 'long'], [1, 0], timings))
    expect(order).toEqual([0, 1])
  })
})
