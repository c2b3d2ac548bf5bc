import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { SkipPassed } from '../../src/inputs/settings.js'
import { emptyHistory, type History } from '../../src/model/history.js'
import { type RunIdentity } from '../../src/model/run-report.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { chooseReused, describeReuse, type ReuseDigests } from '../../src/plan/reuse.js'
import { record, historyAfterAll } from '../helpers/records.js'

const [C1, C2, S1, S2] = ['1', '2', '3', '4'].map(digit => digit.repeat(64)) as string[]
const { Never, Rerun, Unchanged } = SkipPassed

/** A history where `item` last ran in `run` with `status`, command C1 and sources S1, at 5,000. */
function ranOnce(run: RunIdentity | undefined, status: TaskStatus, item = 'a'): History {
  const done = record(0, item, status, { endedAt: 5_000, commandDigest: C1, sourcesDigest: S1 })
  return historyAfterAll(emptyHistory(), { identity: run, at: 1 }, [done])
}

const same: ReuseDigests = { command: C1, sources: S1 }

describe('chooseReused', () => {
  const attempt1 = ranOnce({ id: 7, attempt: 1 }, TaskStatus.Success)

  it('reuses a success of an earlier attempt of this run with the same command (rerun)', () => {
    expect(chooseReused(['a'], [same], attempt1, Rerun, { id: 7, attempt: 2 })).toEqual(
      new Map([[0, { runId: 7, attempt: 1, at: 5_000 }]])
    )
    // The sources do not matter to rerun: only the command.
    expect(
      chooseReused(['a'], [{ command: C1 }], attempt1, Rerun, { id: 7, attempt: 3 }).size
    ).toBe(1)
  })

  it('runs everything else under rerun', () => {
    const run = { id: 7, attempt: 2 }
    const cases: [string, History, ReuseDigests | undefined, RunIdentity | undefined][] = [
      ['another command', attempt1, { command: C2, sources: S1 }, run],
      ['an unknown command digest', attempt1, { sources: S1 }, run],
      ['no digests at all', attempt1, undefined, run],
      ['a new run', attempt1, same, { id: 8, attempt: 1 }],
      ['the same attempt', attempt1, same, { id: 7, attempt: 1 }],
      ['outside a workflow run', attempt1, same, undefined],
      ['a failure', ranOnce({ id: 7, attempt: 1 }, TaskStatus.Failure), same, run],
      ['a timeout', ranOnce({ id: 7, attempt: 1 }, TaskStatus.TimedOut), same, run],
      ['a cancellation', ranOnce({ id: 7, attempt: 1 }, TaskStatus.Cancelled), same, run],
      ['a skip', ranOnce({ id: 7, attempt: 1 }, TaskStatus.Skipped), same, run],
      ['a success outside a workflow run', ranOnce(undefined, TaskStatus.Success), same, run],
      ['an item the history does not have', ranOnce(run, TaskStatus.Success, 'b'), same, run]
    ]
    for (const [why, history, digests, identity] of cases) {
      expect([why, chooseReused(['a'], [digests], history, Rerun, identity).size]).toEqual([why, 0])
    }
  })

  it('reuses across runs under unchanged only when the sources digest is known and equal', () => {
    const other = { id: 8, attempt: 1 }
    expect(chooseReused(['a'], [same], attempt1, Unchanged, other)).toEqual(
      new Map([[0, { runId: 7, attempt: 1, at: 5_000 }]])
    )
    // Outside a workflow run too: the success it stands on was in one.
    expect(chooseReused(['a'], [same], attempt1, Unchanged).size).toBe(1)
    for (const digests of [
      { command: C1, sources: S2 },
      { command: C1 },
      { command: C2, sources: S1 }
    ]) {
      expect(chooseReused(['a'], [digests], attempt1, Unchanged, other).size).toBe(0)
    }
    expect(chooseReused(['a'], [same], attempt1, Rerun, other).size).toBe(0)
    expect(chooseReused(['a'], [same], attempt1, Never, { id: 7, attempt: 2 }).size).toBe(0)
  })

  it('goes by the last result that ran to an end: a later failure runs the item again', () => {
    const failedSince = historyAfterAll(attempt1, { identity: { id: 8, attempt: 1 }, at: 2 }, [
      record(0, 'a', TaskStatus.Failure, { endedAt: 9_000, commandDigest: C1, sourcesDigest: S1 })
    ])
    expect(chooseReused(['a'], [same], failedSince, Unchanged, { id: 9, attempt: 1 }).size).toBe(0)
    const cancelledSince = historyAfterAll(attempt1, { identity: { id: 7, attempt: 2 }, at: 2 }, [
      record(0, 'a', TaskStatus.Cancelled, { endedAt: 9_000 })
    ])
    expect(chooseReused(['a'], [same], cancelledSince, Rerun, { id: 7, attempt: 3 }).size).toBe(1)
  })

  it('reuses an item only when its last completed result is a success with equal digests (property)', () => {
    // Weighted towards what makes an item reusable, so that both outcomes come up often.
    const statuses = Object.values(TaskStatus).filter(status => status !== TaskStatus.Reused)
    const status = fc.constantFrom(...statuses, TaskStatus.Success, TaskStatus.Success)
    const digest = fc.constantFrom(C1, C1, C1, C2, undefined)
    const sources = fc.constantFrom(S1, S1, S2, undefined)
    const identity = fc.option(
      fc.record({ id: fc.integer({ min: 1, max: 2 }), attempt: fc.integer({ min: 1, max: 3 }) }),
      { nil: undefined }
    )
    const ran = fc.record({
      item: fc.constantFrom('a', 'b', 'c'),
      status,
      command: digest,
      sources
    })
    const runs = fc.array(
      fc.record({ identity, records: fc.array(ran, { minLength: 1, maxLength: 4 }) }),
      {
        maxLength: 6
      }
    )
    const now = fc.record({
      mode: fc.constantFrom(Never, Rerun, Rerun, Unchanged, Unchanged),
      run: identity,
      digests: fc.array(
        fc.record({
          command: fc.constantFrom(C1, C1, C1, C1, C2, undefined),
          sources: fc.constantFrom(S1, S1, S1, S2, undefined)
        }),
        { minLength: 3, maxLength: 3 }
      )
    })
    let cases = 0
    // How many items were reused because of an earlier attempt, and across runs alone.
    let byAttempt = 0
    let bySources = 0
    fc.assert(
      fc.property(runs, now, (earlier, { mode, run, digests }) => {
        cases++
        let history = emptyHistory()
        // What the test keeps on its own: each item's latest record that ran to an end.
        const latest = new Map<string, { identity?: RunIdentity; record: TaskRecord }>()
        let clock = 0
        for (const { identity: ranIn, records } of earlier) {
          const made = records.map(({ item, status, command, sources: files }) =>
            record(0, item, status, {
              endedAt: ++clock,
              ...(command === undefined ? {} : { commandDigest: command }),
              ...(files === undefined ? {} : { sourcesDigest: files })
            })
          )
          // One record per item and run, as a run has.
          const once = made.filter((one, i) => made.findIndex(o => o.item === one.item) === i)
          history = historyAfterAll(history, { identity: ranIn, at: clock }, once)
          const ended = [TaskStatus.Success, TaskStatus.Failure, TaskStatus.TimedOut]
          for (const one of once) {
            if (ended.includes(one.status))
              latest.set(one.item as string, { identity: ranIn, record: one })
          }
        }
        const keys = ['a', 'b', 'c']
        const reused = chooseReused(keys, digests, history, mode, run)
        keys.forEach((key, position) => {
          const last = latest.get(key)
          const now = digests[position]!
          const success = last?.record.status === TaskStatus.Success && last.identity !== undefined
          const sameCommand =
            now.command !== undefined && last?.record.commandDigest === now.command
          const earlierAttempt =
            run !== undefined &&
            last?.identity?.id === run.id &&
            last.identity.attempt < run.attempt
          const sameSources =
            mode === Unchanged &&
            now.sources !== undefined &&
            last?.record.sourcesDigest === now.sources
          const expected =
            mode !== Never && success && sameCommand && (earlierAttempt || sameSources)
          expect(reused.has(position)).toBe(expected)
          if (expected) {
            if (earlierAttempt) byAttempt++
            else bySources++
            expect(reused.get(position)).toEqual({
              runId: last!.identity!.id,
              attempt: last!.identity!.attempt,
              at: last!.record.endedAt
            })
          }
        })
      }),
      { seed: 20261207, numRuns: 2000 }
    )
    expect(cases).toBe(2000)
    // Both rules reuse items in many cases (2,000 cases, 6,000 items; seed fixed).
    expect(byAttempt).toBeGreaterThan(50)
    expect(bySources).toBeGreaterThan(50)
  })
})

describe('describeReuse', () => {
  const from = (runId: number, attempt: number) => ({ runId, attempt, at: 0 })

  it('says how many were reused, from where, and how many run', () => {
    const reused = new Map([
      [0, from(7, 1)],
      [1, from(7, 2)],
      [2, from(7, 1)],
      [3, from(5, 1)]
    ])
    expect(describeReuse(reused, 2000, Unchanged, { id: 7, attempt: 3 })).toBe(
      'Reused 4 of 2,000 tasks that succeeded before with the same command: 2 in attempt 1, ' +
        '1 in attempt 2 of this run, 1 in earlier runs, with unchanged sources; running 1,996.'
    )
    expect(describeReuse(new Map([[0, from(7, 1)]]), 1, Rerun, { id: 7, attempt: 2 })).toBe(
      'Reused 1 of 1 task that succeeded before with the same command: 1 in attempt 1 of this run; running 0.'
    )
  })

  it('says why none was reused, and nothing under never', () => {
    expect(describeReuse(new Map(), 3, Never, { id: 7, attempt: 2 })).toBeUndefined()
    expect(describeReuse(new Map(), 3, Rerun)).toBe(
      'Reused no task (skip-passed: rerun): not in a workflow run (no GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT).'
    )
    expect(describeReuse(new Map(), 3, Rerun, { id: 7, attempt: 1 })).toBe(
      'Reused no task (skip-passed: rerun): this is the first attempt of run 7.'
    )
    expect(describeReuse(new Map(), 3, Unchanged, { id: 7, attempt: 2 })).toBe(
      'Reused no task (skip-passed: unchanged): none succeeded with the same command in an ' +
        'earlier attempt of run 7, and none with unchanged sources.'
    )
  })
})
