import { describe, expect, it } from '@jest/globals'
import {
  batchPriorities,
  describeBatches,
  describeSplit,
  formBatches,
  splitToFit
} from '../../src/plan/batches.js'
import { assignShards } from '../../src/plan/shard.js'
import { prepareBatches } from '../../src/plan/prepare-batches.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { type RunPlan } from '../../src/plan/run-plan.js'
import { Shell } from '../../src/model/shell.js'
import { CommandTemplate } from '../../src/template/template.js'

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every position 0..total-1 exactly once, whatever the batches. */
const flat = (batches: number[][]): number[] => batches.flat().sort((a, b) => a - b)

describe('formBatches', () => {
  it('takes consecutive runs of N items in input order, the last one shorter', () => {
    expect(formBatches(7, 3, 4)).toEqual([[0, 1, 2], [3, 4, 5], [6]])
    expect(formBatches(6, 3, 1)).toEqual([
      [0, 1, 2],
      [3, 4, 5]
    ])
    expect(formBatches(2, 50, 8)).toEqual([[0, 1]])
    expect(formBatches(0, 3, 2)).toEqual([])
  })

  it('makes as many batches as workers under auto, of counts that differ by at most one', () => {
    expect(formBatches(10, 'auto', 4)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
      [8, 9]
    ])
    expect(formBatches(400, 'auto', 8).map(batch => batch.length)).toEqual(
      new Array<number>(8).fill(50)
    )
  })

  it('makes no more batches than items under auto', () => {
    expect(formBatches(3, 'auto', 8)).toEqual([[0], [1], [2]])
    expect(formBatches(5, 'auto', 1)).toEqual([[0, 1, 2, 3, 4]])
  })

  it('balances known durations longest first onto the least-loaded batch (the LPT split)', () => {
    // One item ten times slower than the others: it ends up in a batch with fewer items.
    const estimates = [1, 1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    const batches = formBatches(12, 'auto', 2, estimates)
    expect(batches).toEqual([
      [0, 1, 3, 4, 5, 6, 7, 8, 9, 10],
      [2, 11]
    ])
    const loads = batches.map(batch => batch.reduce((sum, i) => sum + (estimates[i] as number), 0))
    expect(loads).toEqual([10, 11])
  })

  it('keeps neighbouring items together when every estimate ties, as without durations', () => {
    // LPT would deal tied items round-robin: [0, 2, 4, 6, 8] and [1, 3, 5, 7, 9].
    expect(formBatches(10, 'auto', 2, new Array<number>(10).fill(300))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9]
    ])
    expect(formBatches(10, 'auto', 4, new Array<number>(10).fill(0))).toEqual(
      formBatches(10, 'auto', 4)
    )
  })

  it('is the result of assignShards, items in input order inside, batches by first item', () => {
    const next = random(20261207)
    let cases = 0
    for (let run = 0; run < 300; run++) {
      const total = 1 + Math.floor(next() * 40)
      const workers = 1 + Math.floor(next() * 6)
      const estimates = Array.from({ length: total }, () => Math.floor(next() * 1000))
      // Estimates that all tie are batched as without any (above).
      if (estimates.every(estimate => estimate === estimates[0])) estimates[0] = 1000
      const batches = formBatches(total, 'auto', workers, estimates)
      expect(flat(batches)).toEqual(Array.from({ length: total }, (_, i) => i))
      expect(batches).toHaveLength(Math.min(workers, total))
      const shardOf = assignShards(estimates, Math.min(workers, total))
      for (const batch of batches) {
        expect(batch).toEqual([...batch].sort((a, b) => a - b))
        expect(new Set(batch.map(i => shardOf[i])).size).toBe(1)
      }
      const firsts = batches.map(batch => batch[0] as number)
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b))
      cases++
    }
    expect(cases).toBe(300)
  })
})

describe('splitToFit', () => {
  it('halves a batch that does not fit until each part does, order kept, every item once', () => {
    // A batch fits when its positions sum to at most 20.
    const fits = (batch: readonly number[]): boolean => batch.reduce((a, b) => a + b, 0) <= 20
    const result = splitToFit([[0, 1, 2], [3, 4, 5, 6, 7, 8], [9]], fits)
    expect(result.batches).toEqual([[0, 1, 2], [3, 4, 5], [6, 7], [8], [9]])
    expect(result.split).toBe(1)
    expect(describeSplit(result)).toBe(
      'Split 1 batch that was too long for one command line: 5 batches of up to 3 items.'
    )
  })

  it('keeps a one-item batch that does not fit, for the caller to refuse', () => {
    const result = splitToFit([[0, 1, 2, 3]], batch => !batch.includes(2))
    expect(result.batches).toEqual([[0, 1], [2], [3]])
  })

  it('leaves batches that fit as they are and says nothing', () => {
    const batches = [
      [0, 2],
      [1, 3]
    ]
    const result = splitToFit(batches, () => true)
    expect(result).toEqual({ batches, split: 0 })
    expect(describeSplit(result)).toBeUndefined()
  })

  it('keeps every item exactly once, each part in order, on random batches and limits', () => {
    const next = random(20261207)
    let splitCases = 0
    for (let run = 0; run < 200; run++) {
      const total = 1 + Math.floor(next() * 60)
      const size = 1 + Math.floor(next() * 20)
      const limit = 1 + Math.floor(next() * 10)
      const { batches, split } = splitToFit(formBatches(total, size, 1), b => b.length <= limit)
      expect(flat(batches)).toEqual(Array.from({ length: total }, (_, i) => i))
      expect(batches.flat()).toEqual(flat(batches))
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(limit)
      if (split > 0) splitCases++
    }
    // The random draw must reach batches that had to be split, or the test proves little.
    expect(splitCases).toBeGreaterThan(50)
  })
})

describe('batchPriorities', () => {
  it('starts the batch with the longest estimated total first', () => {
    const batches = [[0, 1], [2], [3, 4]]
    expect(batchPriorities(batches, [0, 0, 0, 0, 0], [1, 1, 10, 3, 3])).toEqual([1, 3, 2])
  })

  it('keeps batch order without durations, and puts explicit priorities first', () => {
    expect(batchPriorities([[0], [1], [2]], [0, 0, 0])).toEqual([3, 2, 1])
    expect(batchPriorities([[0], [1], [2]], [0, 0, 5])).toEqual([2, 1, 3])
  })
})

describe('describeBatches', () => {
  it('says how the items were batched', () => {
    expect(describeBatches(8, 'auto')).toBe('in 8 batches (auto)')
    expect(describeBatches(1, 50)).toBe('in 1 batch of up to 50')
  })
})

describe('prepareBatches', () => {
  const plan = (items: string[], command = 'lint {}'): RunPlan =>
    prepareItems(items, CommandTemplate.parse(command, Shell.Bash, { batch: true }))

  it('leaves reused items out of every batch, and renders each batch with its number', () => {
    const planned = plan(['a', 'b', 'c', 'd', 'e'], 'lint {#} {}')
    planned.reused = new Map([[1, { runId: 1, attempt: 1, at: 0 }]])
    expect(prepareBatches(planned, 2, 4, new Map())).toBeUndefined()
    const batches = planned.batches ?? []
    expect(batches.map(b => b.batch?.members.map(m => m.item))).toEqual([
      ['a', 'c'],
      ['d', 'e']
    ])
    expect(batches.map(b => [b.index, b.item, b.command.display])).toEqual([
      [0, 'a', "lint 1 'a' 'c'"],
      [3, 'd', "lint 2 'd' 'e'"]
    ])
  })

  it('balances auto by known durations and starts the longest batch first', () => {
    const planned = plan(['a', 'b', 'c', 'd'])
    const durations = new Map([
      ['a', 100],
      ['b', 100],
      ['c', 1000],
      ['d', 100]
    ])
    prepareBatches(planned, 'auto', 2, durations)
    expect(planned.batches?.map(b => b.batch?.members.map(m => m.index))).toEqual([[0, 1, 3], [2]])
    expect(planned.batchPriorities).toEqual([1, 2])
  })

  it('halves a bash batch over 128 KiB until each part fits, every item once in order', () => {
    const items = Array.from(
      { length: 3000 },
      (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(96)}`
    )
    const planned = plan(items)
    const line = prepareBatches(planned, 3000, 2, new Map())
    expect(line).toBe(
      'Split 1 batch that was too long for one command line: 4 batches of up to 750 items.'
    )
    const batches = planned.batches ?? []
    expect(batches.map(b => b.batch?.number)).toEqual([1, 2, 3, 4])
    expect(batches.flatMap(b => b.batch?.members.map(m => m.item))).toEqual(items)
    for (const batch of batches)
      expect(batch.command.args.join(' ').length).toBeLessThan(128 * 1024)
  })

  it('still refuses one item too long for a command line, naming it', () => {
    const items = ['a', 'y'.repeat(200 * 1024)]
    expect(() => plan(items)).toThrow(/^Invalid items: item 2 \(y+…\): /)
  })
})
