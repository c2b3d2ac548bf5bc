import { describe, expect, it } from '@jest/globals'
import { countStatuses, type RunReport } from '../../src/model/run-report.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { batchRecords, record, report } from '../helpers/records.js'

/** A batched run: batch 1 of a.ts, b.ts, c.ts failed; batch 2 of d.ts, e.ts succeeded on slot 2. */
function batchedRun(): RunReport {
  const records = [
    ...batchRecords(
      1,
      [
        [0, 'a.ts'],
        [1, 'b.ts'],
        [2, 'c.ts']
      ],
      TaskStatus.Failure,
      { outputTail: 'a.ts: 1 error\n' }
    ),
    ...batchRecords(
      2,
      [
        [3, 'd.ts'],
        [4, 'e.ts']
      ],
      TaskStatus.Success,
      { slot: 2, startedAt: 1_700_000_000_500, endedAt: 1_700_000_003_500, durationMs: 3000 }
    )
  ]
  return report(records, { batchSize: 3 })
}

/** The report written to a results file and read back. */
const readBack = (run: RunReport): RunReport => parseResultsFile(resultsFileText(run), 'r.json')

/** The records of the batched run with one record changed. */
function changed(position: number, change: Partial<TaskRecord>, extra: Partial<RunReport> = {}) {
  const run = batchedRun()
  Object.assign(run.records[position] as TaskRecord, change)
  return readBack({ ...run, counts: countStatuses(run.records), ...extra })
}

describe("the results file's batches", () => {
  it('reads back a batched run whose members share what their command did', () => {
    const run = batchedRun()
    expect(readBack(run)).toEqual(run)
    expect(readBack({ ...run, batchSize: 'auto' }).batchSize).toBe('auto')
  })

  it('refuses members of one batch that differ in what the command did, naming the field', () => {
    const cases: [number, Partial<TaskRecord>, string][] = [
      [1, { status: TaskStatus.Success }, "'results[1].status' is success, but item 1 of batch 1"],
      [2, { exitCode: 2 }, "'results[2].exitCode' is 2, but item 1 of batch 1 has 1."],
      [1, { signal: 'SIGTERM' }, "'results[1].signal' is SIGTERM, but item 1 of batch 1 has null."],
      [4, { slot: 1 }, "'results[4].slot' is 1, but item 4 of batch 2 has 2."],
      [2, { startedAt: 1_700_000_000_001 }, "'results[2].startedAt' is 1700000000001"],
      [4, { endedAt: 1_700_000_003_501 }, "'results[4].endedAt' is 1700000003501"],
      [1, { durationMs: 999 }, "'results[1].durationMs' is 999, but item 1 of batch 1 has 1000."],
      [2, { attempts: 2 }, "'results[2].attempts' is 2, but item 1 of batch 1 has 1."]
    ]
    for (const [position, change, message] of cases) {
      expect(() => changed(position, change)).toThrow(message)
    }
    expect(() => changed(1, { attempts: 2 })).toThrow(
      'Expected the members of a batch to share its attempts.'
    )
    // A batch that held slots 2 and 3 of 4: each member says so, or the file is refused.
    const wide = (slots: (number[] | undefined)[]) => {
      const run = batchedRun()
      run.records.slice(3).forEach((member, k) => (member.slots = slots[k]))
      return readBack({ ...run, workers: 4 })
    }
    expect(
      wide([
        [2, 3],
        [2, 3]
      ]).records[4]?.slots
    ).toEqual([2, 3])
    expect(() => wide([[2, 3]])).toThrow(
      "'results[4].slots' is missing, but item 4 of batch 2 has [2,3]. Expected the members of a batch to share its slots."
    )
    expect(() => wide([undefined, [2, 3]])).toThrow(
      "'results[4].slots' is [2,3], but item 4 of batch 2 has none. Expected the members of a batch to share its slots."
    )
    expect(() =>
      wide([
        [2, 3],
        [2, 3, 4]
      ])
    ).toThrow(
      "'results[4].slots' is [2,3,4], but item 4 of batch 2 has [2,3]. Expected the members of a batch to share its slots."
    )
  })

  it('refuses batch numbers with a gap, a batch without batchSize, and a batch over batchSize', () => {
    expect(() => changed(3, { batch: 4 })).toThrow(
      "'results[3].batch' is 4, but the results hold 3 batches. Expected batch numbers 1 to 3, each used."
    )
    const gap = batchedRun()
    for (const member of gap.records.slice(3)) member.batch = 3
    expect(() => readBack(gap)).toThrow("'results[3].batch' is 3, but the results hold 2 batches.")
    // A batch of one is a batch: 1, 2, 3 is no gap.
    expect(changed(4, { batch: 3 }).records[4]?.batch).toBe(3)
    expect(() => readBack({ ...batchedRun(), batchSize: undefined })).toThrow(
      "'results[0].batch' is 1, but the run has no batchSize. Expected a batch only when items ran in batches."
    )
    expect(() => readBack({ ...batchedRun(), batchSize: 2 })).toThrow(
      "'results[2].batch' is 1, a batch of more than the batchSize of 2 items."
    )
    expect(() => changed(0, { batch: 0 })).toThrow(
      "'results[0].batch' is 0. Expected a whole number ≥ 1."
    )
  })

  it('accepts records without a batch next to batches: reused items never enter one', () => {
    const run = batchedRun()
    run.records.push(
      record(5, 'f.ts', TaskStatus.Reused, {
        reusedFrom: { runId: 1, attempt: 1, at: 1_600_000_000_000 }
      })
    )
    run.counts.total++
    run.counts.reused++
    expect(readBack(run).records.map(one => one.batch)).toEqual([1, 1, 1, 2, 2, undefined])
  })

  it("checks a merge's batches per file: numbers restart in each file, slots say which", () => {
    // Two files of 1 worker each: the second file's batch 1 ran on the merge's slot 2.
    const first = batchRecords(1, [[0, 'a.ts']], TaskStatus.Success)
    const second = batchRecords(
      1,
      [
        [1, 'b.ts'],
        [2, 'c.ts']
      ],
      TaskStatus.Failure,
      { slot: 2, durationMs: 4000 }
    )
    const merged = report([...first, ...second], {
      merged: { files: 2, shards: null, missingShards: [], problems: [], slotsPerFile: [1, 1] }
    })
    expect(readBack(merged).records).toHaveLength(3)
    // Within one file a batch's members still agree.
    const split = structuredClone(merged)
    ;(split.records[2] as TaskRecord).exitCode = 3
    expect(() => readBack(split)).toThrow("'results[2].exitCode' is 3, but item 2 of batch 1")
  })

  it("checks a merge's file of each record: one per record, one of the files, its slot's", () => {
    // Batch 1 of each file never started (no slot): only recordFiles tells them apart.
    const first = batchRecords(
      1,
      [
        [0, 'a.ts'],
        [1, 'b.ts']
      ],
      TaskStatus.Skipped
    )
    const second = batchRecords(1, [[2, 'c.ts']], TaskStatus.Skipped)
    const ran = batchRecords(2, [[3, 'd.ts']], TaskStatus.Success, { slot: 2 })
    const merged = (recordFiles: number[]): RunReport =>
      report([...first, ...second, ...ran], {
        merged: {
          files: 2,
          shards: null,
          missingShards: [],
          problems: [],
          slotsPerFile: [1, 1],
          recordFiles
        }
      })
    expect(readBack(merged([0, 0, 1, 1])).merged?.recordFiles).toEqual([0, 0, 1, 1])
    expect(() => readBack(merged([0, 0, 1]))).toThrow(
      "'merged.recordFiles' has 3 entries. Expected one for each of the 4 results"
    )
    expect(() => readBack(merged([0, 0, 2, 1]))).toThrow(
      "'merged.recordFiles[2]' is 2. Expected the file (from 0) of the 2 merged that the result came from"
    )
    expect(() => readBack(merged([0, 0, 1, 0]))).toThrow(
      "'merged.recordFiles[3]' is 0. Expected the file (from 0) of the 2 merged that the result came from, 1 by its slot"
    )
    // Told apart by file, the two batches 1 may differ; within one file they still agree.
    const differ = merged([0, 0, 1, 1])
    ;(differ.records[2] as TaskRecord).durationMs = 5
    expect(readBack(differ).records).toHaveLength(4)
    ;(differ.records[1] as TaskRecord).durationMs = 7
    expect(() => readBack(differ)).toThrow("'results[1].durationMs' is 7, but item 1 of batch 1")
  })
})
