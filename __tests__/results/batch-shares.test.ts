import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { itemShares, weightedShares } from '../../src/model/batch-runs.js'
import { durationsBefore, emptyHistory, historyKeys } from '../../src/model/history.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { readHistory } from '../../src/results/history-file.js'
import { writeResultsFile } from '../../src/results/results-file.js'
import { writeTimings } from '../../src/results/timings-file.js'
import { historyAfterMerge } from '../../src/run/merge-history.js'
import { batchRecords, historyAfterAll, record, report } from '../helpers/records.js'

/** A batch of 4 items that took 10 s, a batch of 3 that took 1 s, and an item on its own of 7 s. */
function batchedRun(): RunReport {
  return report(
    [
      ...batchRecords(
        1,
        [
          [0, 'a'],
          [1, 'b'],
          [2, 'c'],
          [3, 'd']
        ],
        TaskStatus.Success,
        { durationMs: 10_000 }
      ),
      ...batchRecords(
        2,
        [
          [4, 'e'],
          [5, 'f'],
          [6, 'g']
        ],
        TaskStatus.Failure,
        { durationMs: 1000, slot: 2 }
      ),
      ...batchRecords(3, [[7, 'h']], TaskStatus.Success, { durationMs: 7000 })
    ],
    { batchSize: 4, run: { id: 5, attempt: 1 } }
  )
}

/** Each item's share of its batch's time, as a later run learns it. */
const SHARES = { a: 2500, b: 2500, c: 2500, d: 2500, e: 333, f: 333, g: 333, h: 7000 }

/** Durations by item text, from a history's durations by key. */
function byItem(durations: ReadonlyMap<string, number>): Record<string, number | undefined> {
  const items = Object.keys(SHARES)
  const keys = historyKeys(items)
  return Object.fromEntries(items.map((item, at) => [item, durations.get(keys[at] as string)]))
}

describe("a batch's time, per item", () => {
  it('splits a batch evenly over its members, at least 1 ms unless none; a record alone keeps its own', () => {
    const run = batchedRun()
    const share = itemShares(run.records, run)
    expect(run.records.map(share)).toEqual(Object.values(SHARES))
    const quick = batchRecords(
      1,
      [
        [0, 'x'],
        [1, 'y']
      ],
      TaskStatus.Success,
      { durationMs: 0 }
    )
    expect(quick.map(itemShares(quick, {}))).toEqual([0, 0])
    const fast = quick.map(one => ({ ...one, durationMs: 1 }))
    expect(fast.map(itemShares(fast, {}))).toEqual([1, 1])
    const alone = [record(0, 'z', TaskStatus.Success, { durationMs: 0 })]
    expect(alone.map(itemShares(alone, {}))).toEqual([0])
  })

  it('is what a results file read as history gives, while the file keeps the whole time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-shares-'))
    const path = await writeResultsFile(dir, batchedRun())
    expect(readFileSync(path, 'utf8')).toContain('"durationMs": 10000')
    const { history, problem } = await readHistory(path)
    expect(problem).toBeUndefined()
    expect(byItem(durationsBefore(history))).toEqual(SHARES)
  })

  it('is what the timings file keeps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-shares-'))
    const run = batchedRun()
    const path = await writeTimings(dir, new Map(), run.records, run)
    const { timings } = JSON.parse(readFileSync(path, 'utf8')) as { timings: object }
    expect(timings).toEqual(SHARES)
  })

  it("is what a merge's history keeps, each file's batches apart", () => {
    // Two files of one worker each, both numbering their batches from 1.
    const first = batchRecords(
      1,
      [
        [0, 'a'],
        [1, 'b']
      ],
      TaskStatus.Success,
      { durationMs: 4000 }
    )
    const second = batchRecords(
      1,
      [
        [2, 'c'],
        [3, 'd'],
        [4, 'e'],
        [5, 'f']
      ],
      TaskStatus.Success,
      { durationMs: 4000, slot: 2 }
    )
    const merged = report([...first, ...second], {
      run: { id: 5, attempt: 1 },
      merged: { files: 2, shards: null, missingShards: [], problems: [], slotsPerFile: [1, 1] }
    })
    const { history } = historyAfterMerge(emptyHistory(), merged, [], 1_700_000_100_000)
    const durations = durationsBefore(history)
    const keys = historyKeys(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(keys.map(key => durations.get(key))).toEqual([2000, 2000, 1000, 1000, 1000, 1000])
  })

  it('weighs a batch by the timings before when they know every member, in the file and a merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-shares-'))
    const run = batchedRun()
    // a was 7 times as slow as b, c and d; e and f are known, g is not: batch 2 stays even.
    const previous = new Map([
      ['a', 700],
      ['b', 100],
      ['c', 100],
      ['d', 100],
      ['e', 50],
      ['f', 50]
    ])
    const path = await writeTimings(dir, previous, run.records, run)
    const { timings } = JSON.parse(readFileSync(path, 'utf8')) as { timings: object }
    expect(timings).toEqual({ ...SHARES, a: 7000, b: 1000, c: 1000, d: 1000 })
    // A merge weighs by the history before it, from other workflow runs.
    const before = historyAfterAll(emptyHistory(), { identity: { id: 4, attempt: 1 }, at: 1 }, [
      record(0, 'a', TaskStatus.Success, { durationMs: 700 }),
      record(1, 'b', TaskStatus.Success, { durationMs: 100 }),
      record(2, 'c', TaskStatus.Success, { durationMs: 100 }),
      record(3, 'd', TaskStatus.Success, { durationMs: 100 })
    ])
    const { history } = historyAfterMerge(before, { ...run, merged: undefined }, [], 2)
    expect(byItem(durationsBefore(history, 4))).toEqual({
      ...SHARES,
      a: 7000,
      b: 1000,
      c: 1000,
      d: 1000
    })
  })
})

describe('weightedShares', () => {
  it('adds up to the batch time, at least 1 ms each, near its exact share (fixed seed)', () => {
    let state = 20261207
    const next = (below: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      return Math.floor((state / 2 ** 32) * below)
    }
    let cases = 0
    let withZeros = 0
    for (let round = 0; round < 2000; round++) {
      const weights = Array.from({ length: 1 + next(12) }, () => (next(4) === 0 ? 0 : next(5000)))
      const total = weights.length + next(20_000)
      const shares = weightedShares(total, weights)
      const sum = weights.reduce((all, weight) => all + weight, 0)
      if (sum === 0) {
        expect(shares).toBeUndefined()
        continue
      }
      cases++
      if (weights.includes(0)) withZeros++
      expect(shares?.reduce((all, share) => all + share)).toBe(total)
      expect(Math.min(...(shares as number[]))).toBeGreaterThanOrEqual(1)
      const owed = weights.filter(weight => (total * weight) / sum < 1).length
      shares?.forEach((share, at) => {
        const exact = (total * (weights[at] as number)) / sum
        // Under 1 ms off its exact share; when tiny shares are raised to 1 ms, by what they took.
        expect(Math.abs(share - exact)).toBeLessThan(1 + owed)
      })
    }
    console.log(`weightedShares: ${cases} cases, ${withZeros} with an item of 0 ms before`)
    expect(withZeros).toBeGreaterThan(100)
    expect(weightedShares(2, [1, 1, 1])).toBeUndefined()
    expect(weightedShares(10_000, [1000, 100, 100])).toEqual([8334, 833, 833])
  })
})
