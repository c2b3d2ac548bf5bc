import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { SkipPassed } from '../../src/inputs/settings.js'
import { emptyHistory, historyAfter, historyKeys, type History } from '../../src/model/history.js'
import { Shell } from '../../src/model/shell.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { scheduleByHistory } from '../../src/plan/history-load.js'
import { mergeReports } from '../../src/report/merge.js'
import { historyAfterMerge } from '../../src/run/merge-history.js'
import { recordRun } from '../../src/run/run-history.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { chooseReused } from '../../src/plan/reuse.js'
import { takeShard } from '../../src/plan/shard.js'
import { CommandTemplate } from '../../src/template/template.js'
import { record, report } from '../helpers/records.js'

// Repeated items are items of their own in every shard, attempt and merge: each one's key is
// numbered over the whole input, never over the part a shard holds.

const DIGEST = 'c'.repeat(64)
const RUN = 7
const { Success, Failure, TimedOut, Cancelled } = TaskStatus

/** Attempt 1 of run 7 over `shards`: each shard's records, with the split it ran. */
function firstAttempt(items: string[], shards: number, statuses: TaskStatus[]) {
  const plan = prepareItems(items, CommandTemplate.parse('echo {}', Shell.Bash))
  return [...Array(shards).keys()].map(index => {
    const part = takeShard(plan, { index, total: shards }, emptyHistory(), RUN)
    const records = part.prepared.map(({ index: at, item }) =>
      record(at, item, statuses[at]!, { commandDigest: DIGEST, endedAt: 1_000 + at })
    )
    return { part, records }
  })
}

describe('history keys of repeated items under shard', () => {
  it('an attempt-2 shard reuses exactly the items that passed in attempt 1, added shard by shard, file by file or merged (property)', () => {
    const input = fc.record({
      items: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 8 }),
      shards: fc.integer({ min: 1, max: 3 }),
      statuses: fc.array(fc.constantFrom(Success, Success, Failure, TimedOut, Cancelled), {
        minLength: 8,
        maxLength: 8
      }),
      added: fc.constantFrom('by shard', 'by file', 'merged')
    })
    let cases = 0
    let repeatsApart = 0
    fc.assert(
      fc.property(input, ({ items, shards, statuses, added }) => {
        cases++
        const ran = firstAttempt(items, shards, statuses)
        const at = { identity: { id: RUN, attempt: 1 }, at: 1, split: ran[0]!.part.split }
        let history: History
        if (added === 'by shard') {
          // Each shard's step records its own records, keyed by the whole input's keys.
          const whole = prepareItems(items, CommandTemplate.parse('echo {}', Shell.Bash))
          history = ran.reduce(
            (sum, { part, records }) =>
              recordRun({ history: sum, identity: at.identity }, report(records), whole.keys, {
                dryRun: false,
                split: part.split
              }).history,
            emptyHistory()
          )
        } else if (added === 'by file') {
          // A merge job: each shard's file under its run, keys from the shards' files.
          const files = ran.map(({ part, records }) =>
            report(records, { shard: part.shard, run: at.identity })
          )
          const merged = mergeReports(files.map((file, n) => ({ path: `f${n}`, report: file })))
          history = historyAfterMerge(emptyHistory(), merged, files, 1).history
        } else {
          // A merge: the records are the whole input, in input order.
          const merged = ran.flatMap(one => one.records).sort((a, b) => a.index - b.index)
          history = historyAfter(
            emptyHistory(),
            at,
            merged,
            historyKeys(merged.map(one => one.item))
          )
        }
        const plan = prepareItems(items, CommandTemplate.parse('echo {}', Shell.Bash))
        for (let index = 0; index < shards; index++) {
          const part = takeShard(plan, { index, total: shards }, history, RUN)
          const digests = part.prepared.map(() => ({ command: DIGEST }))
          const reused = chooseReused(part.keys, digests, history, SkipPassed.Rerun, {
            id: RUN,
            attempt: 2
          })
          const reusedIndexes = [...reused.keys()].map(position => part.prepared[position]!.index)
          const passed = part.prepared.map(one => one.index).filter(at => statuses[at] === Success)
          expect(reusedIndexes.sort()).toEqual(passed.sort())
          // An item that did not pass, of the same text as one that did, here or in another shard.
          const apart = part.prepared.some(
            one =>
              statuses[one.index] !== Success &&
              items.some((text, at) => text === one.item && statuses[at] === Success)
          )
          if (apart) repeatsApart++
        }
      }),
      { seed: 20261207, numRuns: 400 }
    )
    expect(cases).toBe(400)
    expect(repeatsApart).toBeGreaterThan(100)
  })

  it("keys a shard's items over the whole input: the second 'a' is 'a' numbered 2 in any shard", () => {
    const plan = prepareItems(['a', 'b', 'a'], CommandTemplate.parse('echo {}', Shell.Bash))
    expect(plan.keys).toEqual(['a', 'b', 'a\u0000#2'])
    const second = takeShard(plan, { index: 1, total: 2 }, emptyHistory())
    expect(second.prepared.map(one => one.index)).toEqual([1])
    const first = takeShard(plan, { index: 0, total: 2 }, emptyHistory())
    expect(first.keys).toEqual(['a', 'a\u0000#2'])
    // The shard's records, in the order they ended, go in under the whole input's keys.
    const records = [
      record(2, 'a', Success, { durationMs: 2 }),
      record(0, 'a', Success, { durationMs: 1 })
    ]
    const memory = { history: emptyHistory(), identity: { id: 1, attempt: 1 } }
    const { history } = recordRun(memory, report(records), plan.keys, { dryRun: false })
    expect(history.items.get('a')?.results.map(one => one.durationMs)).toEqual([1])
    expect(history.items.get('a\u0000#2')?.results.map(one => one.durationMs)).toEqual([2])
  })

  it("balances and orders a shard's tasks by the durations of its own items, repeats apart", () => {
    const plan = prepareItems(['a', 'b', 'a'], CommandTemplate.parse('echo {}', Shell.Bash))
    const records = [
      record(0, 'a', Success, { durationMs: 1000 }),
      record(1, 'b', Success, { durationMs: 50 }),
      record(2, 'a', Success, { durationMs: 10 })
    ]
    const history = historyAfter(
      emptyHistory(),
      { identity: { id: 1, attempt: 1 }, at: 1 },
      records,
      historyKeys(records.map(one => one.item))
    )
    // Balanced by those durations, shard 0 holds the first 'a' alone, shard 1 the rest.
    const shard0 = takeShard(plan, { index: 0, total: 2 }, history, 2)
    expect(shard0.prepared.map(one => one.index)).toEqual([0])
    const shard1 = takeShard(plan, { index: 1, total: 2 }, history, 2)
    expect(shard1.prepared.map(one => one.index)).toEqual([1, 2])
    expect(shard1.shard.estimatedMs).toBe(60)
    scheduleByHistory(shard1, history, 2)
    // b (50 ms) before the second a (10 ms): not after it, as the first a's 1000 ms would put it.
    expect(shard1.priorities[0]! > shard1.priorities[1]!).toBe(true)
  })
})
