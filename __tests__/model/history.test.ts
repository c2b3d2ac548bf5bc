import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  durationsBefore,
  emptyHistory,
  historyAfter,
  historyKeys,
  HISTORY_LIMITS,
  recentFlakiness,
  splitOf,
  type History,
  type HistorySplit
} from '../../src/model/history.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, historyAfterAll } from '../helpers/records.js'

const DIGEST = 'a'.repeat(64)
const { Success, Failure, TimedOut, Cancelled, Skipped, Reused } = TaskStatus

/** A run of workflow run `id`, attempt `attempt`, at minute `minute`. */
const run = (id: number, attempt: number, minute = id) => ({
  identity: { id, attempt },
  at: minute * 60_000
})

/** A record of `item` with that status and duration. */
const ended = (
  item: string,
  status: TaskStatus,
  durationMs = 100,
  extra: Partial<TaskRecord> = {}
) => record(0, item, status, { durationMs, endedAt: 1_000, ...extra })

describe('historyKeys', () => {
  it('keys items by their text, telling repeated items apart by their order', () => {
    expect(historyKeys(['a', { b: 1 }, 'a', 7, 'a'])).toEqual([
      'a',
      '{"b":1}',
      'a\u0000#2',
      '7',
      'a\u0000#3'
    ])
  })
})

describe('historyAfter', () => {
  it('keeps each result, the last completed one with its digests, and the counts', () => {
    const history = historyAfterAll(emptyHistory(), run(5, 1), [
      ended('ok', Success, 120, { commandDigest: DIGEST, sourcesDigest: DIGEST }),
      ended('bad', Failure, 80),
      ended('slow', TimedOut, 900),
      ended('stopped', Cancelled, 10),
      ended('flaky', Success, 50, { flaky: true, attempts: 2 }),
      record(0, 'never', Skipped),
      record(0, 'before', Reused, { attempts: 0 })
    ])
    expect(history.runs).toEqual([{ seq: 1, runId: 5, attempt: 1, at: 300_000 }])
    const ok = history.items.get('ok')
    expect(ok).toEqual({
      seen: 1,
      results: [{ runId: 5, attempt: 1, status: Success, durationMs: 120 }],
      last: {
        runId: 5,
        attempt: 1,
        status: Success,
        durationMs: 120,
        at: 1_000,
        commandDigest: DIGEST,
        sourcesDigest: DIGEST
      },
      runs: 1,
      failures: 0,
      flaky: 0
    })
    expect(history.items.get('bad')).toMatchObject({ runs: 1, failures: 1, flaky: 0 })
    expect(history.items.get('slow')).toMatchObject({ failures: 1, last: { status: TimedOut } })
    // Cancelled: it ran, but not to an end, so it is no last result.
    expect(history.items.get('stopped')).toMatchObject({ runs: 1, failures: 0 })
    expect(history.items.get('stopped')?.last).toBeUndefined()
    expect(history.items.get('flaky')).toMatchObject({ flaky: 1, last: { flaky: true } })
    // Skipped and reused items are seen, with no result.
    for (const key of ['never', 'before']) {
      expect(history.items.get(key)).toEqual({
        seen: 1,
        results: [],
        runs: 0,
        failures: 0,
        flaky: 0
      })
    }
  })

  it('leaves the history it was given unchanged', () => {
    const first = historyAfterAll(emptyHistory(), run(1, 1), [ended('a', Success)])
    const copy = structuredClone(first)
    historyAfterAll(first, run(2, 1), [ended('a', Failure), ended('b', Success)])
    historyAfterAll(first, run(1, 1), [ended('a', Failure)])
    expect(first).toEqual(copy)
  })

  it('gives the same history when a run is added again, whole or one shard at a time', () => {
    const before = historyAfterAll(emptyHistory(), run(1, 1), [
      ended('a', Success),
      ended('b', Failure)
    ])
    const records = [ended('a', Failure, 70), ended('b', Success, 30, { flaky: true })]
    const once = historyAfterAll(before, run(2, 1), records)
    expect(historyAfterAll(once, run(2, 1), records)).toEqual(once)
    const byShard = historyAfterAll(historyAfterAll(before, run(2, 1), [records[0]!]), run(2, 1), [
      records[1]!
    ])
    expect(byShard).toEqual(once)
    expect(once.runs.map(one => one.seq)).toEqual([1, 2])
    expect(once.items.get('a')).toMatchObject({ runs: 2, failures: 1, flaky: 0 })
    expect(once.items.get('b')).toMatchObject({ runs: 2, failures: 1, flaky: 1 })
    expect(once.items.get('a')?.results).toHaveLength(2)
  })

  it('counts a run outside a workflow run (no identity) as a new run every time', () => {
    const one = historyAfterAll(emptyHistory(), { at: 1 }, [ended('a', Success)])
    const two = historyAfterAll(one, { at: 2 }, [ended('a', Success)])
    expect(two.runs.map(({ seq, runId }) => [seq, runId])).toEqual([
      [1, null],
      [2, null]
    ])
    expect(two.items.get('a')).toMatchObject({ seen: 2, runs: 2 })
  })

  it('keeps a newer last result when an older run is merged in late', () => {
    const newer = historyAfterAll(emptyHistory(), run(9, 2), [
      ended('a', Failure, 10, { endedAt: 5_000 })
    ])
    const late = historyAfterAll(newer, run(9, 1), [ended('a', Success, 10, { endedAt: 2_000 })])
    expect(late.items.get('a')?.last).toMatchObject({ attempt: 2, status: Failure })
  })

  it('stays within its bounds after 50 runs, counting every run', () => {
    let history: History = emptyHistory()
    for (let id = 1; id <= 50; id++) {
      // 'gone' is last seen in run 10; 'old' in run 20, 30 runs before the last.
      const records = [ended('kept', id % 7 === 0 ? Failure : Success, id)]
      if (id <= 10) records.push(ended('gone', Success))
      if (id <= 20) records.push(ended('old', Success))
      if (id <= 21) records.push(ended('recent', Success))
      history = historyAfterAll(history, run(id, 1), records)
    }
    expect(HISTORY_LIMITS).toEqual({ results: 10, unseenRuns: 30 })
    expect(history.runs).toHaveLength(30)
    expect(history.runs.map(one => one.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 21))
    expect([...history.items.keys()]).toEqual(['kept', 'recent'])
    const kept = history.items.get('kept')!
    expect(kept.results.map(result => result.durationMs)).toEqual([
      41, 42, 43, 44, 45, 46, 47, 48, 49, 50
    ])
    expect(kept).toMatchObject({ seen: 50, runs: 50, failures: 7, flaky: 0 })
  })

  it('keeps the split of the newest sharded run only', () => {
    const split = (digest: string): HistorySplit => ({
      total: 2,
      itemsDigest: digest,
      shardOf: [0, 1]
    })
    const first = historyAfterAll(emptyHistory(), { ...run(1, 1), split: split(DIGEST) }, [])
    const second = historyAfterAll(first, { ...run(2, 1), split: split('b'.repeat(64)) }, [])
    expect(second.runs.map(one => one.split?.itemsDigest)).toEqual([undefined, 'b'.repeat(64)])
    expect(historyAfterAll(second, run(3, 1), []).runs[1]?.split).toBeDefined()
  })
})

describe('historyAfter (property)', () => {
  it('adds a run once however often and in however many shards it is given, counting every result and keeping the last one that ran to an end, repeated items apart', () => {
    const statuses = Object.values(TaskStatus)
    // Repeated items are drawn often: each repeat is an item of its own, keyed over the whole run.
    const records = fc.array(
      fc.record({
        item: fc.constantFrom('a', 'b', 'c'),
        status: fc.constantFrom(...statuses, Success),
        retried: fc.boolean(),
        shard: fc.nat({ max: 2 })
      }),
      { maxLength: 6 }
    )
    const runs = fc.array(
      fc.record({
        identity: fc.option(
          fc.record({
            id: fc.integer({ min: 1, max: 3 }),
            attempt: fc.integer({ min: 1, max: 2 })
          }),
          { nil: undefined }
        ),
        records
      }),
      // Fewer than 30 runs: no item goes unseen long enough to be dropped and counted afresh.
      { maxLength: 29 }
    )
    const ranToAnEnd = [Success, Failure, TimedOut]
    let cases = 0
    let repeats = 0
    let flakyRuns = 0
    fc.assert(
      fc.property(runs, drawn => {
        cases++
        let whole = emptyHistory()
        let byShard = emptyHistory()
        // What the test keeps on its own, by key: started results by run attempt, and the last
        // record that ran to an end with the run it ran in.
        const started = new Map<string, Map<string, TaskRecord>>()
        const last = new Map<
          string,
          { record: TaskRecord; runId: number | null; attempt: number | null }
        >()
        drawn.forEach(({ identity, records: ran }, position) => {
          const made = ran.map(({ item, status, retried }) =>
            ended(item, status, position, {
              endedAt: 1_000 + position,
              commandDigest: DIGEST,
              ...(status === Success && retried ? { flaky: true, attempts: 2 } : {})
            })
          )
          const keys = historyKeys(made.map(one => one.item))
          if (new Set(keys.map(key => key.split('\u0000')[0])).size < keys.length) repeats++
          const at = { identity, at: position }
          const once = historyAfter(whole, at, made, keys)
          if (identity !== undefined) expect(historyAfter(once, at, made, keys)).toEqual(once)
          whole = once
          // Shard by shard, each with its records' keys over the whole run.
          for (const shard of [0, 1, 2]) {
            const mine = ran.flatMap((one, i) => (one.shard === shard ? [i] : []))
            byShard = historyAfter(
              byShard,
              at,
              mine.map(i => made[i]!),
              mine.map(i => keys[i]!)
            )
          }
          if (identity !== undefined) expect(byShard).toEqual(whole)
          else byShard = whole
          made.forEach((one, i) => {
            const key = keys[i]!
            if (one.flaky === true) flakyRuns++
            if (ranToAnEnd.includes(one.status)) {
              last.set(key, {
                record: one,
                runId: identity?.id ?? null,
                attempt: identity?.attempt ?? null
              })
            }
            if (one.status === Skipped || one.status === Reused) return
            const runKey =
              identity === undefined ? `local ${position}` : `${identity.id}/${identity.attempt}`
            const results = started.get(key) ?? new Map<string, TaskRecord>()
            results.set(runKey, one)
            started.set(key, results)
          })
        })
        for (const [key, entry] of whole.items) {
          const results = [...(started.get(key)?.values() ?? [])]
          const failed = results.filter(one => one.status === Failure || one.status === TimedOut)
          const flaky = results.filter(one => one.flaky === true)
          expect([key, entry.runs, entry.failures, entry.flaky]).toEqual([
            key,
            results.length,
            failed.length,
            flaky.length
          ])
          expect(entry.results.length).toBeLessThanOrEqual(Math.min(10, results.length))
          const expected = last.get(key)
          expect([key, entry.last]).toEqual([
            key,
            expected === undefined
              ? undefined
              : {
                  runId: expected.runId,
                  attempt: expected.attempt,
                  status: expected.record.status,
                  durationMs: expected.record.durationMs,
                  at: expected.record.endedAt,
                  commandDigest: DIGEST,
                  ...(expected.record.flaky === true ? { flaky: true } : {})
                }
          ])
        }
        expect([...whole.items.keys()].sort()).toEqual([...new Set(seenOnly(drawn))].sort())
      }),
      { seed: 20261207, numRuns: 300 }
    )
    expect(cases).toBe(300)
    expect(repeats).toBeGreaterThan(100)
    expect(flakyRuns).toBeGreaterThan(100)
  })
})

/** The keys of every item the drawn runs had, run or not. */
function seenOnly(drawn: readonly { records: readonly { item: string }[] }[]): string[] {
  return drawn.flatMap(({ records }) => historyKeys(records.map(one => one.item)))
}

describe('what a history says', () => {
  const history = [
    { at: run(1, 1), records: [ended('a', Success, 100), ended('b', Failure, 200)] },
    { at: run(2, 1), records: [ended('a', TimedOut, 999), ended('b', Cancelled, 5)] },
    {
      at: run(3, 1),
      records: [ended('a', Success, 300, { flaky: true }), ended('b', Success, 400)]
    },
    { at: run(3, 2), records: [ended('a', Success, 500)] }
  ].reduce((sum, { at, records }) => historyAfterAll(sum, at, records), emptyHistory())

  it('gives durations of results that ran to an end, from runs other than this one', () => {
    expect(durationsBefore(history)).toEqual(
      new Map([
        ['a', 500],
        ['b', 400]
      ])
    )
    // Every attempt of run 3 estimates from run 1 (run 2 timed out or was cancelled).
    expect(durationsBefore(history, 3)).toEqual(
      new Map([
        ['a', 100],
        ['b', 200]
      ])
    )
  })

  it('names the items that were flaky in the runs it keeps', () => {
    expect(recentFlakiness(history, ['b', 'x', 'a'])).toEqual(new Map([[2, { flaky: 1, of: 4 }]]))
  })

  it("finds an earlier attempt's split of the same items over as many shards", () => {
    const split: HistorySplit = { total: 3, itemsDigest: DIGEST, shardOf: [2, 0, 1] }
    const sharded = historyAfterAll(history, { ...run(4, 1), split }, [])
    expect(splitOf(sharded, 4, 3, DIGEST)).toEqual([2, 0, 1])
    expect(splitOf(sharded, 5, 3, DIGEST)).toBeUndefined()
    expect(splitOf(sharded, 4, 2, DIGEST)).toBeUndefined()
    expect(splitOf(sharded, 4, 3, 'c'.repeat(64))).toBeUndefined()
    expect(splitOf(sharded, undefined, 3, DIGEST)).toBeUndefined()
  })
})
