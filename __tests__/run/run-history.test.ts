import { describe, expect, it } from '@jest/globals'
import { emptyHistory, historyAfter } from '../../src/model/history.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { SkipPassed } from '../../src/inputs/settings.js'
import { identityMissing, recordRun, reuseLine } from '../../src/run/run-history.js'
import { record, report } from '../helpers/records.js'

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
