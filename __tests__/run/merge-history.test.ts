import { describe, expect, it } from '@jest/globals'
import { emptyHistory, type History } from '../../src/model/history.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { mergeReports } from '../../src/report/merge.js'
import { historyAfterMerge } from '../../src/run/merge-history.js'
import { record, report } from '../helpers/records.js'
import { shardInfo } from '../helpers/shards.js'

/** Shard `index` of the six-item run, as attempt `attempt` of run 100 wrote it. */
function shard(index: number, attempt: number, statuses: [TaskStatus, TaskStatus]): RunReport {
  const reused = { runId: 100, attempt: 1, at: 1_700_000_001_000 }
  return report(
    [index, index + 3].map((item, position) => {
      const status = statuses[position] as TaskStatus
      return record(
        item,
        `item-${item}`,
        status,
        status === TaskStatus.Reused
          ? {
              reusedFrom: reused,
              attempts: 0,
              slot: null,
              startedAt: null,
              endedAt: null,
              exitCode: null,
              durationMs: 0
            }
          : {}
      )
    }),
    { shard: shardInfo(index), run: { id: 100, attempt } }
  )
}

/** The history after merging the files as a merge job does. */
function merged(previous: History, files: RunReport[]): History {
  const report = mergeReports(
    files.map((file, position) => ({ path: `f${position}`, report: file }))
  )
  return historyAfterMerge(previous, report, files, 1_700_000_100_000).history
}

const OK = TaskStatus.Success

describe('historyAfterMerge', () => {
  it("records each item of a shard's batch with its share of the batch's time", () => {
    // Batch numbers start at 1 in each shard: a batch is one shard's, never the merge's.
    const files = [0, 1, 2].map(index =>
      report(
        [index, index + 3].map(item =>
          record(item, `item-${item}`, OK, { batch: 1, durationMs: 800 })
        ),
        { shard: shardInfo(index), run: { id: 100, attempt: 1 }, batchSize: 2 }
      )
    )
    const history = merged(emptyHistory(), files)
    const durations = [0, 1, 2, 3, 4, 5].map(
      item => history.items.get(`item-${item}`)?.results[0]?.durationMs
    )
    expect(durations).toEqual([400, 400, 400, 400, 400, 400])
  })

  it('records each shard under its own attempt, and never counts a shard merged again twice', () => {
    const first = [
      shard(0, 1, [OK, OK]),
      shard(1, 1, [OK, TaskStatus.Failure]),
      shard(2, 1, [OK, OK])
    ]
    const afterFirst = merged(emptyHistory(), first)
    expect(afterFirst.runs.map(run => [run.runId, run.attempt])).toEqual([[100, 1]])
    expect(afterFirst.items.get('item-4')).toMatchObject({ runs: 1, failures: 1 })
    expect(afterFirst.runs[0]?.split).toMatchObject({ total: 3, shardOf: [0, 1, 2, 0, 1, 2] })

    // Attempt 2 re-ran shard 1 only: item-1 reused, item-4 passed; shards 0 and 2 are attempt 1's.
    const rerun = shard(1, 2, [TaskStatus.Reused, OK])
    const afterSecond = merged(afterFirst, [first[0] as RunReport, rerun, first[2] as RunReport])
    expect(afterSecond.runs.map(run => [run.runId, run.attempt])).toEqual([
      [100, 1],
      [100, 2]
    ])
    expect(afterSecond.items.get('item-0')).toMatchObject({ runs: 1, failures: 0 })
    expect(afterSecond.items.get('item-1')).toMatchObject({ runs: 1 })
    expect(afterSecond.items.get('item-1')?.last).toMatchObject({ runId: 100, attempt: 1 })
    expect(afterSecond.items.get('item-4')).toMatchObject({ runs: 2, failures: 1 })
    expect(afterSecond.items.get('item-4')?.last).toMatchObject({ attempt: 2, status: OK })
    // The newest run entry carries the split, so attempt 3 splits alike.
    expect(afterSecond.runs.at(-1)?.split?.shardOf).toEqual([0, 1, 2, 0, 1, 2])

    // The same files merged again (a merge job re-run): nothing counted twice.
    const again = merged(afterSecond, [first[0] as RunReport, rerun, first[2] as RunReport])
    expect(again.runs).toHaveLength(2)
    expect([...again.items.values()].map(entry => entry.runs)).toEqual(
      [...afterSecond.items.values()].map(entry => entry.runs)
    )
  })

  it('keeps no split when a shard is missing, and records what is before its first item', () => {
    const files = [shard(0, 1, [OK, OK]), shard(2, 1, [OK, OK])]
    const history = merged(emptyHistory(), files)
    expect(history.runs[0]?.split).toBeUndefined()
    // item-1 is unknown, and items after it might repeat it: their keys are not sure.
    expect([...history.items.keys()].sort()).toEqual(['item-0'])
  })
})
