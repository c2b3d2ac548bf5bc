import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { FailFast } from '../../src/exec/halt-policies.js'
import { type Outcome, runTasks, type TaskReport } from '../../src/exec/scheduler.js'
import { ItemStates } from '../../src/exec/scheduler-queues.js'
import { HaltMode } from '../../src/model/halt.js'
import { satisfiesNeeds, TaskStatus } from '../../src/model/task-status.js'

/** What a run with some items settled before it did: who started, and every outcome seen. */
interface Observed {
  outcomes: Outcome<string>[]
  started: number[]
  ran: number[]
  settled: number[]
}

/** Runs `names` with `needs`, the `reused` indexes settled before the run; others end as `statusOf` says. */
async function runWithReused(
  names: readonly string[],
  needs: readonly (readonly number[])[],
  reused: readonly number[],
  statusOf: (index: number) => TaskStatus = () => TaskStatus.Success,
  extra: { concurrency?: number; priorities?: number[]; failFast?: number } = {}
): Promise<Observed> {
  const started: number[] = []
  const ran: number[] = []
  const settled: number[] = []
  const settledBefore = new Map<number, TaskReport<string>>(
    reused.map(index => [index, { status: TaskStatus.Reused, value: `${names[index]} (earlier)` }])
  )
  const { outcomes } = await runTasks(
    names.map((name, index) => ({ name, index })),
    async ({ index }) => {
      ran.push(index)
      // Let other tasks and settlements interleave with this one.
      for (let turn = index % 3; turn >= 0; turn--) await new Promise(setImmediate)
      return { status: statusOf(index), value: names[index] as string }
    },
    {
      concurrency: extra.concurrency ?? 2,
      needs,
      priorities: extra.priorities,
      policies: extra.failFast ? [new FailFast(extra.failFast, HaltMode.Cancel)] : [],
      settledBefore,
      onStart: index => started.push(index),
      onSettled: outcome => settled.push(outcome.index)
    }
  )
  return { outcomes, started, ran, settled }
}

const statuses = (observed: Observed): TaskStatus[] => observed.outcomes.map(o => o.status)

describe('runTasks: chains of items settled before the run', () => {
  it('never starts build → test → deploy when all three are reused, and settles each once', async () => {
    const observed = await runWithReused(['build', 'test', 'deploy'], [[], [0], [1]], [0, 1, 2])
    expect(observed.started).toEqual([])
    expect(observed.ran).toEqual([])
    expect(observed.settled).toEqual([0, 1, 2])
    expect(statuses(observed)).toEqual([TaskStatus.Reused, TaskStatus.Reused, TaskStatus.Reused])
  })

  it('never starts a reused task that needs a reused one, in any input order', async () => {
    // test needs build, which comes first or last in the input; concurrency 1 and 4.
    for (const concurrency of [1, 4]) {
      const first = await runWithReused(
        ['build', 'test', 'lint'],
        [[], [0], []],
        [0, 1],
        undefined,
        {
          concurrency
        }
      )
      expect(first.started).toEqual([2])
      expect(first.settled.sort()).toEqual([0, 1, 2])
      const last = await runWithReused(
        ['test', 'build', 'lint'],
        [[1], [], []],
        [0, 1],
        undefined,
        {
          concurrency
        }
      )
      expect(last.started).toEqual([2])
      expect(last.settled.sort()).toEqual([0, 1, 2])
    }
  })

  it.each([TaskStatus.Success, TaskStatus.Failure])(
    'runs the middle of reused → running → reused once, and the last stays reused (%s)',
    async status => {
      const observed = await runWithReused(
        ['build', 'test', 'deploy'],
        [[], [0], [1]],
        [0, 2],
        () => status
      )
      expect(observed.started).toEqual([1])
      expect(observed.ran).toEqual([1])
      expect(observed.settled.sort()).toEqual([0, 1, 2])
      expect(statuses(observed)).toEqual([TaskStatus.Reused, status, TaskStatus.Reused])
    }
  )

  it('runs only the non-reused corner of a diamond, once, and skips what needs a failure', async () => {
    // top → left, right → bottom; left reused, right fails, bottom runs and is skipped for right.
    const names = ['top', 'left', 'right', 'bottom']
    const needs = [[], [0], [0], [1, 2]]
    const reusedAll = await runWithReused(names, needs, [0, 1, 2, 3])
    expect(reusedAll.started).toEqual([])
    expect(reusedAll.settled).toEqual([0, 1, 2, 3])
    const mixed = await runWithReused(names, needs, [0, 1], index =>
      index === 2 ? TaskStatus.Failure : TaskStatus.Success
    )
    expect(mixed.started).toEqual([2])
    expect(mixed.settled.sort()).toEqual([0, 1, 2, 3])
    expect(statuses(mixed)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Reused,
      TaskStatus.Failure,
      TaskStatus.Skipped
    ])
    expect(mixed.outcomes[3]?.blockedBy).toEqual([{ index: 2, status: TaskStatus.Failure }])
    const bottomReused = await runWithReused(names, needs, [0, 1, 3], index =>
      index === 2 ? TaskStatus.Failure : TaskStatus.Success
    )
    expect(bottomReused.started).toEqual([2])
    expect(statuses(bottomReused)[3]).toBe(TaskStatus.Reused)
  })
})

/** A random DAG: each item needs some of the items before it in a random topological order. */
const dagCase = fc
  .integer({ min: 1, max: 9 })
  .chain(size =>
    fc.record({
      order: fc.shuffledSubarray(
        Array.from({ length: size }, (_, index) => index),
        { minLength: size, maxLength: size }
      ),
      picks: fc.array(fc.array(fc.nat(size), { maxLength: 3 }), {
        minLength: size,
        maxLength: size
      }),
      reused: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
      ends: fc.array(fc.constantFrom(TaskStatus.Success, TaskStatus.Failure, TaskStatus.TimedOut), {
        minLength: size,
        maxLength: size
      }),
      priorities: fc.option(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: size, maxLength: size })
      ),
      concurrency: fc.integer({ min: 1, max: 4 })
    })
  )
  .map(({ order, picks, reused, ends, priorities, concurrency }) => {
    // The item at position p of `order` may need only items at earlier positions: no cycles.
    const needs = order.map(() => [] as number[])
    order.forEach((index, position) => {
      const earlier = new Set(
        (picks[position] ?? []).filter(p => p < position).map(p => order[p] as number)
      )
      needs[index] = [...earlier]
    })
    return {
      needs,
      reused: reused.flatMap((yes, index) => (yes ? [index] : [])),
      ends,
      priorities: priorities ?? undefined,
      concurrency
    }
  })

describe('runTasks: items settled before the run, over random graphs', () => {
  it('settles each item once, never starts a reused one, and skips what needs a failure (500 cases)', async () => {
    const counts = { cases: 0, reusedNeedsReused: 0, reusedAfterItsNeed: 0, skippedForFailure: 0 }
    await fc.assert(
      fc.asyncProperty(dagCase, async ({ needs, reused, ends, priorities, concurrency }) => {
        counts.cases++
        const names = needs.map((_, index) => `task ${index}`)
        const observed = await runWithReused(
          names,
          needs,
          reused,
          index => ends[index] as TaskStatus,
          {
            concurrency,
            priorities
          }
        )
        const isReused = new Set(reused)
        // Every item settles exactly once; no item starts twice; no reused item starts.
        expect([...observed.settled].sort((a, b) => a - b)).toEqual(names.map((_, index) => index))
        expect(new Set(observed.started).size).toBe(observed.started.length)
        expect(observed.started.filter(index => isReused.has(index))).toEqual([])
        expect([...observed.ran].sort()).toEqual([...observed.started].sort())
        needs.forEach((itemNeeds, index) => {
          const status = observed.outcomes[index]?.status
          if (isReused.has(index)) {
            expect(status).toBe(TaskStatus.Reused)
            if (itemNeeds.some(need => isReused.has(need))) counts.reusedNeedsReused++
            if (itemNeeds.some(need => isReused.has(need) && need < index))
              counts.reusedAfterItsNeed++
            return
          }
          const unmet = itemNeeds.filter(need => {
            const needStatus = observed.outcomes[need]?.status as TaskStatus
            return !satisfiesNeeds(needStatus)
          })
          if (unmet.length > 0) {
            // A dependent of a failure that is not reused is skipped, naming what failed.
            expect(status).toBe(TaskStatus.Skipped)
            expect(observed.outcomes[index]?.blockedBy?.map(need => need.index).sort()).toEqual(
              [...unmet].sort()
            )
            if (unmet.some(need => !isReused.has(need) && observed.started.includes(need))) {
              counts.skippedForFailure++
            }
          } else {
            expect(status).toBe(ends[index])
            expect(observed.started).toContain(index)
          }
        })
      }),
      { numRuns: 500, seed: 20261207 }
    )
    expect(counts.cases).toBe(500)
    // The property reached the cases it is about, the one that ran a reused task included.
    expect(counts.reusedAfterItsNeed).toBeGreaterThan(100)
    expect(counts.reusedNeedsReused).toBeGreaterThan(counts.reusedAfterItsNeed)
    expect(counts.skippedForFailure).toBeGreaterThan(100)
  })

  it('keeps reused items reused and settled once when fail-fast halts the run (300 cases)', async () => {
    let cases = 0
    let halted = 0
    await fc.assert(
      fc.asyncProperty(dagCase, async ({ needs, reused, ends, concurrency }) => {
        cases++
        const names = needs.map((_, index) => `task ${index}`)
        const observed = await runWithReused(
          names,
          needs,
          reused,
          index => ends[index] as TaskStatus,
          {
            concurrency,
            failFast: 1
          }
        )
        const isReused = new Set(reused)
        expect([...observed.settled].sort((a, b) => a - b)).toEqual(names.map((_, index) => index))
        expect(observed.started.filter(index => isReused.has(index))).toEqual([])
        for (const index of reused) expect(observed.outcomes[index]?.status).toBe(TaskStatus.Reused)
        if (observed.outcomes.some(outcome => outcome.reason?.startsWith('not started'))) halted++
      }),
      { numRuns: 300, seed: 20261207 }
    )
    expect(cases).toBe(300)
    expect(halted).toBeGreaterThan(20)
  })
})

describe('ItemStates', () => {
  it('queues only a waiting item, starts only a queued one, and refuses a second settle', () => {
    const states = new ItemStates(3)
    states.settle(0)
    expect(states.queue(0)).toBe(false)
    expect(states.start(0)).toBe(false)
    expect(() => states.settle(0)).toThrow('Internal error: item 1 would settle twice')
    expect(states.start(1)).toBe(false)
    expect(states.queue(1)).toBe(true)
    expect(states.queue(1)).toBe(false)
    states.settle(1)
    expect(states.start(1)).toBe(false)
    expect(states.queue(2) && states.start(2)).toBe(true)
    expect(states.start(2)).toBe(false)
    states.settle(2)
    expect(() => states.settle(2)).toThrow('would settle twice')
    expect(() => states.settle(3)).toThrow('item 4 would settle twice')
  })

  it('rejects the run, rather than leaving it waiting, when settling a task that ran throws', async () => {
    const run = runTasks(['a', 'b'], async () => ({ status: TaskStatus.Success, value: '' }), {
      concurrency: 1,
      onSettled: outcome => {
        if (outcome.index === 1) throw new Error('observer broke')
      }
    })
    await expect(run).rejects.toThrow('observer broke')
  })

  it('starts nothing more and stops running tasks once settling a task throws', async () => {
    const started: number[] = []
    const aborted: number[] = []
    let rejected = false
    const run = runTasks(
      [0, 1, 2, 3, 4, 5],
      async (item, { signal }) => {
        started.push(item)
        const ms = item === 0 ? 10 : 200
        await new Promise<void>(resolve => {
          const stopped = (): void => {
            aborted.push(item)
            clearTimeout(timer)
            resolve()
          }
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', stopped)
            resolve()
          }, ms)
          signal.addEventListener('abort', stopped)
        })
        return { status: TaskStatus.Success, value: '' }
      },
      {
        concurrency: 2,
        onSettled: outcome => {
          if (outcome.index === 0) throw new Error('observer broke')
        }
      }
    )
    await expect(run.finally(() => (rejected = true))).rejects.toThrow('observer broke')
    expect(rejected).toBe(true)
    // Item 1 was running: it is stopped; items 2 to 5 never start, then or later.
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(started).toEqual([0, 1])
    expect(aborted).toEqual([1])
  })
})
