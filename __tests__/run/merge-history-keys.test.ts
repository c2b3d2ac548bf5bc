import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { emptyHistory, historyKeys, type History } from '../../src/model/history.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { itemsDigest, splitDigest } from '../../src/plan/shard.js'
import { describeMerge, mergeReports } from '../../src/report/merge.js'
import { describeLeftOut, historyAfterMerge, mergeLine } from '../../src/run/merge-history.js'
import { record, report } from '../helpers/records.js'

/** Shard `index` of `items` split by `shardOf`, each record lasting 1000 + its index ms. */
function shardFile(
  items: readonly string[],
  shardOf: readonly number[],
  total: number,
  index: number,
  extra: Partial<RunReport> = {}
): RunReport {
  const mine = items.flatMap((_, item) => (shardOf[item] === index ? [item] : []))
  return report(
    mine.map(item =>
      record(item, items[item] as string, TaskStatus.Success, { durationMs: 1000 + item })
    ),
    {
      shard: {
        index,
        total,
        itemCount: items.length,
        itemsDigest: itemsDigest([...items]),
        splitDigest: splitDigest([...shardOf]),
        byTimings: false,
        estimatedMs: 0,
        estimatedTotalMs: 0,
        items: mine.map(item => ({ index: item, item: items[item] as string }))
      },
      run: { id: 7, attempt: 1 },
      ...extra
    }
  )
}

/** The merge of `files` as a merge job makes it. */
function mergeOf(files: RunReport[]): RunReport {
  return mergeReports(files.map((file, position) => ({ path: `f${position}`, report: file })))
}

/** Each key of the history with the index of the record its results came from. */
function indexesByKey(history: History): Map<string, number[]> {
  return new Map(
    [...history.items].map(([key, entry]) => [key, entry.results.map(r => r.durationMs - 1000)])
  )
}

describe('historyAfterMerge with a shard missing', () => {
  it('never files a repeated item under another repeat’s key', () => {
    // a, a, a, a: shard 0 holds indexes 1 and 3, shard 1 (0 and 2) left no file.
    const items = ['a', 'a', 'a', 'a']
    const shardOf = [1, 0, 1, 0]
    const files = [shardFile(items, shardOf, 2, 0)]
    const merged = historyAfterMerge(emptyHistory(), mergeOf(files), files, 1)
    // Index 1 is the second `a` only if index 0 is; its item is unknown, so neither is recorded.
    expect(merged.history.items.size).toBe(0)
    expect(merged.withoutKey).toBe(2)
    expect(describeLeftOut(merged)).toBe(
      'History: not recorded: 2 results after an item of a missing shard, which they may repeat.'
    )
  })

  it('records the results before the first unknown item under their keys', () => {
    const items = ['a', 'b', 'a', 'c']
    const shardOf = [0, 0, 1, 0]
    const files = [shardFile(items, shardOf, 2, 0)]
    const merged = historyAfterMerge(emptyHistory(), mergeOf(files), files, 1)
    expect(indexesByKey(merged.history)).toEqual(
      new Map([
        ['a', [0]],
        ['b', [1]]
      ])
    )
    expect(merged.withoutKey).toBe(1)
  })

  it('files every result under its own key whatever shards are missing (property)', () => {
    let cases = 0
    let leftOut = 0
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (items, total, draws, present) => {
          cases++
          const shardOf = items.map(() => (draws.next().value as number) % total)
          const files = Array.from({ length: total }, (_, index) => index)
            .filter(index => present[index] === true)
            .map(index => shardFile(items, shardOf, total, index))
          fc.pre(files.length > 0)
          const merged = historyAfterMerge(emptyHistory(), mergeOf(files), files, 1)
          const trueKeys = historyKeys(items)
          for (const [key, indexes] of indexesByKey(merged.history))
            for (const index of indexes) expect(trueKeys[index]).toBe(key)
          const recorded = [...merged.history.items.values()].length
          leftOut += merged.withoutKey
          expect(recorded + merged.withoutKey).toBe(files.flatMap(file => file.records).length)
        }
      ),
      { numRuns: 500, seed: 20261207 }
    )
    expect(cases).toBeGreaterThanOrEqual(500)
    expect(leftOut).toBeGreaterThan(0)
  })
})

describe('historyAfterMerge of dry runs and files without a run', () => {
  const items = ['a', 'b']
  const shardOf = [0, 1]

  it('leaves the history as it was after a merge of dry runs', () => {
    const files = [0, 1].map(index => shardFile(items, shardOf, 2, index, { dryRun: true }))
    const previous = emptyHistory()
    const merged = historyAfterMerge(previous, mergeOf(files), files, 1)
    expect(merged.history).toBe(previous)
  })

  it('records nothing of files without a run, so merging them again counts nothing twice', () => {
    const files = [0, 1].map(index => shardFile(items, shardOf, 2, index, { run: undefined }))
    const once = historyAfterMerge(emptyHistory(), mergeOf(files), files, 1)
    const twice = historyAfterMerge(once.history, mergeOf(files), files, 2)
    expect(twice.history.runs).toEqual([])
    expect(twice.history.items.size).toBe(0)
    expect(twice.withoutRun).toBe(2)
    expect(describeLeftOut(twice)).toBe(
      'History: not recorded: 2 results of files written outside a workflow run (no run id).'
    )
  })
})

describe('a merge’s facts and log line', () => {
  it('names the merged items that were flaky in recent runs, by record index', () => {
    const items = ['a', 'b', 'c']
    const shardOf = [0, 1, 0]
    const flakyFiles = [0, 1].map(index => {
      const file = shardFile(items, shardOf, 2, index, { run: { id: 6, attempt: 1 } })
      for (const one of file.records)
        if (one.item === 'c') Object.assign(one, { attempts: 2, flaky: true })
      return file
    })
    const before = historyAfterMerge(emptyHistory(), mergeOf(flakyFiles), flakyFiles, 1).history
    const files = [0, 1].map(index => shardFile(items, shardOf, 2, index))
    const merged = historyAfterMerge(before, mergeOf(files), files, 2)
    expect(merged.facts.recentlyFlaky).toEqual(new Map([[2, { flaky: 1, of: 1 }]]))
  })

  it('says how many of the merged results were reused', () => {
    const reusedFrom = { runId: 7, attempt: 1, at: 1 }
    const reused = { attempts: 0, slot: null, startedAt: null, endedAt: null, exitCode: null }
    const merged = mergeOf([
      report(
        [
          record(0, 'a', TaskStatus.Reused, { ...reused, reusedFrom }),
          record(1, 'b', TaskStatus.Success)
        ],
        { run: { id: 7, attempt: 2 } }
      )
    ])
    expect(mergeLine(merged, describeMerge(merged))).toBe(
      'Merged 1 results file: 2 results. 1 of them reused: they succeeded before with the same command and did not run again.'
    )
  })
})
