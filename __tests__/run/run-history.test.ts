import { describe, expect, it } from '@jest/globals'
import { durationsBefore, emptyHistory, historyAfter } from '../../src/model/history.js'
import { formBatches } from '../../src/plan/batches.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { SkipPassed } from '../../src/inputs/settings.js'
import { identityMissing, recordRun, reuseLine } from '../../src/run/run-history.js'
import { batchRecords, record, report } from '../helpers/records.js'

const RUN = { id: 77, attempt: 1 }
const KEYS = ['a', 'b', 'c', 'd']

/** A history where item c (index 2) was flaky in run 76. */
function flakyBefore() {
  const flaky = record(2, 'c', TaskStatus.Success, { attempts: 2, flaky: true })
  return historyAfter(emptyHistory(), { identity: { id: 76, attempt: 1 }, at: 1 }, [flaky], ['c'])
}

describe('recordRun', () => {
  it('records a shard’s records under their keys in the whole input, and names recent flakiness by index', () => {
    // A shard with items b and c (indexes 1 and 2) of the four.
    const shard = report([record(1, 'b', TaskStatus.Success), record(2, 'c', TaskStatus.Failure)])
    const memory = { history: flakyBefore(), identity: RUN }
    const { history, facts } = recordRun(memory, shard, KEYS, { dryRun: false })
    expect([...history.items.keys()].sort()).toEqual(['b', 'c'])
    expect(history.items.get('c')).toMatchObject({ runs: 2, failures: 1, flaky: 1 })
    expect(history.runs.map(run => [run.runId, run.attempt])).toEqual([
      [76, 1],
      [77, 1]
    ])
    // By the record's index, as the summary looks it up, not by its place in the shard.
    expect([...facts.recentlyFlaky.keys()]).toEqual([2])
    expect(facts.recentlyFlaky.get(2)).toEqual({ flaky: 1, of: 1 })
  })

  it('leaves the history as it was on a dry run', () => {
    const memory = { history: flakyBefore(), identity: RUN }
    const dry = report([record(0, 'a', TaskStatus.Skipped)])
    expect(recordRun(memory, dry, KEYS, { dryRun: true }).history).toBe(memory.history)
  })

  it("records each item of a batch with its share of the batch's time", () => {
    const memory = { history: emptyHistory(), identity: RUN }
    const batched = report([
      record(0, 'a', TaskStatus.Success, { batch: 1, durationMs: 900 }),
      record(1, 'b', TaskStatus.Success, { batch: 1, durationMs: 900 }),
      record(2, 'c', TaskStatus.Success, { batch: 1, durationMs: 900 }),
      record(3, 'd', TaskStatus.Success, { batch: 2, durationMs: 400 })
    ])
    const { history } = recordRun(memory, batched, KEYS, { dryRun: false })
    const durations = KEYS.map(key => history.items.get(key)?.results[0]?.durationMs)
    expect(durations).toEqual([300, 300, 300, 400])
    // The report keeps the batch's real time on each item.
    expect(batched.records.map(r => r.durationMs)).toEqual([900, 900, 900, 400])
  })

  it('shares a batch in proportion to what the history knew: a slow item stays slow, and apart', () => {
    // Ten items, one per command: `slow` took 10 times as long as each of the others.
    const items = ['slow', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']
    const alone = items.map((item, index) =>
      record(index, item, TaskStatus.Success, { durationMs: item === 'slow' ? 2000 : 200 })
    )
    const first = historyAfter(
      emptyHistory(),
      { identity: { id: 76, attempt: 1 }, at: 1 },
      alone,
      items
    )
    // A batched run: slow, a and b in one batch of 2,400 ms; the other seven in one of 1,400 ms.
    const batched = report(
      [
        ...batchRecords(
          1,
          items.slice(0, 3).map((item, index) => [index, item] as const),
          TaskStatus.Success,
          { durationMs: 2400 }
        ),
        ...batchRecords(
          2,
          items.slice(3).map((item, at) => [at + 3, item] as const),
          TaskStatus.Success,
          { durationMs: 1400, slot: 2 }
        )
      ],
      { batchSize: 'auto' }
    )
    const { history } = recordRun({ history: first, identity: RUN }, batched, items, {
      dryRun: false
    })
    const learned = durationsBefore(history, 78)
    const shares = items.map(item => learned.get(item) as number)
    expect(shares).toEqual([2000, 200, 200, 200, 200, 200, 200, 200, 200, 200])
    // Each batch's shares add up to its time.
    expect(shares.slice(0, 3).reduce((sum, ms) => sum + ms)).toBe(2400)
    expect(shares.slice(3).reduce((sum, ms) => sum + ms)).toBe(1400)
    // The next `auto` run on 2 workers still puts the slow item in a batch of its own.
    expect(formBatches(items.length, 'auto', 2, shares)).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]])
  })

  it('shares a batch evenly when the history does not know every member', () => {
    const known = [record(0, 'a', TaskStatus.Success, { durationMs: 5000 })]
    const first = historyAfter(emptyHistory(), { identity: { id: 76, attempt: 1 }, at: 1 }, known, [
      'a'
    ])
    const batched = report(
      batchRecords(
        1,
        [
          [0, 'a'],
          [1, 'b']
        ],
        TaskStatus.Success,
        { durationMs: 1000 }
      ),
      { batchSize: 2 }
    )
    const { history } = recordRun({ history: first, identity: RUN }, batched, KEYS, {
      dryRun: false
    })
    expect(['a', 'b'].map(key => durationsBefore(history, 78).get(key))).toEqual([500, 500])
  })

  it('keeps the split of a sharded run on its run entry', () => {
    const split = { total: 2, itemsDigest: 'd', shardOf: [0, 1, 0, 1] }
    const memory = { history: emptyHistory(), identity: RUN }
    const { history } = recordRun(memory, report([record(0, 'a', TaskStatus.Success)]), KEYS, {
      dryRun: false,
      split
    })
    expect(history.runs[0]?.split).toEqual(split)
  })
})

describe('the reuse line outside a workflow run attempt', () => {
  it('names exactly what is missing of the run identity', () => {
    expect(identityMissing({})).toBe('GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT are not set')
    expect(identityMissing({ GITHUB_RUN_ID: '5' })).toBe('GITHUB_RUN_ATTEMPT is not set')
    expect(identityMissing({ GITHUB_RUN_ID: 'x', GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'GITHUB_RUN_ID is not a whole number from 1 up'
    )
    expect(identityMissing({ GITHUB_RUN_ATTEMPT: '0' })).toBe(
      'GITHUB_RUN_ID is not set and GITHUB_RUN_ATTEMPT is not a whole number from 1 up'
    )
  })

  it('is one line that says so, whether or not anything was reused', () => {
    const memory = {
      history: emptyHistory(),
      identity: undefined,
      missing: 'GITHUB_RUN_ATTEMPT is not set'
    }
    expect(reuseLine(new Map(), 3, SkipPassed.Rerun, memory)).toBe(
      'Reused no task (skip-passed: rerun): GITHUB_RUN_ATTEMPT is not set, so this is no attempt of a workflow run.'
    )
    expect(reuseLine(new Map(), 3, SkipPassed.Unchanged, memory)).toBe(
      'Reused no task (skip-passed: unchanged): GITHUB_RUN_ATTEMPT is not set, so this is no attempt of a workflow run, and none had unchanged sources.'
    )
    const reused = new Map([[0, { runId: 4, attempt: 1, at: 1 }]])
    expect(reuseLine(reused, 3, SkipPassed.Unchanged, memory)).toBe(
      'Reused 1 of 3 tasks that succeeded before with the same command: 1 in earlier runs, with unchanged sources; running 2; none from an earlier attempt: GITHUB_RUN_ATTEMPT is not set, so this is no attempt of a workflow run.'
    )
  })
})
