import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { batchCount, commandRuns } from '../../src/model/batch-runs.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { mergeReports } from '../../src/report/merge.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { batchRecords, report } from '../helpers/records.js'

/**
 * A file's batches: each a size, whether it started (a dry run's or a halt's never do), and
 * whether it held both workers' slots.
 */
const fileBatches = fc.array(
  fc.record({ size: fc.integer({ min: 1, max: 4 }), started: fc.boolean(), wide: fc.boolean() }),
  { minLength: 1, maxLength: 6 }
)

/** A run of its own item list: batches numbered from 1 on its workers, its items `f<file>-<n>`. */
function runFile(
  file: number,
  batches: readonly { size: number; started: boolean; wide: boolean }[]
): RunReport {
  let next = 0
  const records = batches.flatMap(({ size, started, wide }, position) => {
    const members = Array.from({ length: size }, (): [number, string] => [
      next,
      `f${file}-${next++}`
    ])
    const slots = wide ? { slot: 1, slots: [1, 2] } : { slot: (position % 2) + 1 }
    return started
      ? batchRecords(position + 1, members, TaskStatus.Success, slots)
      : batchRecords(position + 1, members, TaskStatus.Skipped, { skipReason: 'dry run' })
  })
  return report(records, { batchSize: 4 })
}

/** A report as its results file reads back. */
const readBack = (run: RunReport, path: string): { path: string; report: RunReport } => ({
  path,
  report: parseResultsFile(resultsFileText(run), path)
})

/** Each item's slots as offsets from its first, by item text: the same after any merge. */
const heldOf = (run: RunReport): Map<string, number[] | undefined> =>
  new Map(
    run.records.map(one => [
      String(one.item),
      one.slot === null
        ? undefined
        : (one.slots ?? [one.slot]).map(slot => slot - (one.slot as number))
    ])
  )

/** Each command's items, by item text. */
const runsOf = (run: RunReport): string[][] =>
  commandRuns(run.records, run).map(members => members.map(one => String(one.item)))

describe('a merge of batched results files', () => {
  it('keeps every batch of every file apart, started or not, also when merges are merged', () => {
    let cases = 0
    let unstartedInTwoFiles = 0
    let wide = 0
    fc.assert(
      fc.property(fc.array(fileBatches, { minLength: 2, maxLength: 4 }), files => {
        cases++
        const runs = files.map((batches, file) => runFile(file, batches))
        const unstarted = files.filter(batches => batches.some(batch => !batch.started))
        if (unstarted.length > 1) unstartedInTwoFiles++
        const expected = runs.flatMap(runsOf).sort()
        const merged = mergeReports(runs.map((run, file) => readBack(run, `run-${file}.json`)))
        expect(merged.merged?.problems).toEqual([])
        expect(runsOf(merged).sort()).toEqual(expected)
        expect(batchCount(merged)).toBe(expected.length)
        // Its own file read back, then merged with another split of the same files.
        const half = Math.ceil(runs.length / 2)
        const parts = [runs.slice(0, half), runs.slice(half)].map((part, position) =>
          readBack(
            mergeReports(part.map((run, file) => readBack(run, `run-${position}-${file}.json`))),
            `merge-${position}.json`
          )
        )
        expect(runsOf(readBack(merged, 'merged.json').report).sort()).toEqual(expected)
        const twice = mergeReports(parts)
        expect(runsOf(twice).sort()).toEqual(expected)
        expect(batchCount(twice)).toBe(expected.length)
        // Every item keeps the slots it held, numbered as its file is.
        const held = new Map(runs.flatMap(run => [...heldOf(run)]))
        if ([...held.values()].some(offsets => (offsets?.length ?? 0) > 1)) wide++
        expect(heldOf(merged)).toEqual(held)
        expect(heldOf(readBack(twice, 'twice.json').report)).toEqual(held)
      }),
      { seed: 20261207, numRuns: 300 }
    )
    console.log(
      `merge of batched files: ${cases} cases, ${unstartedInTwoFiles} with unstarted batches in several files, ${wide} with batches on several slots`
    )
    expect(unstartedInTwoFiles).toBeGreaterThan(100)
    expect(wide).toBeGreaterThan(200)
  })
})
