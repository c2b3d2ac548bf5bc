import { describe, expect, it } from '@jest/globals'
import {
  Cancellation,
  FailFast,
  StopOnSuccess,
  TotalTimeout
} from '../../src/exec/halt-policies.js'
import { runTasks, type TaskContext } from '../../src/exec/scheduler.js'
import { Halt, HaltKind, HaltMode } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { delay } from '../helpers/tasks.js'

describe('runTasks', () => {
  it('returns outcomes in input order whatever order tasks finish in', async () => {
    const items = [50, 10, 30, 0, 20]
    const finished: number[] = []
    const { outcomes } = await runTasks(
      items,
      async (ms, { index }) => {
        await delay(ms)
        finished.push(index)
        return { status: TaskStatus.Success, value: ms * 2 }
      },
      { concurrency: 5 }
    )
    expect(finished).not.toEqual([0, 1, 2, 3, 4])
    expect(outcomes.map(o => o.index)).toEqual([0, 1, 2, 3, 4])
    expect(outcomes.map(o => o.value)).toEqual([100, 20, 60, 0, 40])
  })

  it('reaches the worker bound and never exceeds it, with distinct slots', async () => {
    let running = 0
    let peak = 0
    const slotsInUse = new Set<number>()
    const { outcomes } = await runTasks(
      Array.from({ length: 40 }, (_, i) => i),
      async (i, { slot }) => {
        expect(slotsInUse.has(slot)).toBe(false)
        expect(slot).toBeGreaterThanOrEqual(1)
        expect(slot).toBeLessThanOrEqual(4)
        slotsInUse.add(slot)
        running++
        peak = Math.max(peak, running)
        await delay(5 + (i % 3) * 5)
        running--
        slotsInUse.delete(slot)
        return { status: TaskStatus.Success, value: slot }
      },
      { concurrency: 4 }
    )
    expect(peak).toBe(4)
    expect(outcomes).toHaveLength(40)
    expect(new Set(outcomes.map(o => o.slot))).toEqual(new Set([1, 2, 3, 4]))
  })

  it('gives the lowest free slot, as GNU parallel does', async () => {
    const slots: number[] = []
    await runTasks(
      [1, 2, 3],
      async (_, { slot }) => {
        slots.push(slot)
        return { status: TaskStatus.Success, value: null }
      },
      { concurrency: 1 }
    )
    expect(slots).toEqual([1, 1, 1])
  })

  it('isolates failures: a throwing task fails alone', async () => {
    const { outcomes } = await runTasks(
      ['ok', 'boom', 'ok'],
      async item => {
        if (item === 'boom') throw new Error('boom')
        return { status: TaskStatus.Success, value: item }
      },
      { concurrency: 2 }
    )
    expect(outcomes.map(o => o.status)).toEqual([
      TaskStatus.Success,
      TaskStatus.Failure,
      TaskStatus.Success
    ])
    expect(String(outcomes[1]?.error)).toContain('boom')
  })

  it('fail-fast aborts running tasks and skips the rest without leaving a promise waiting', async () => {
    const aborted: number[] = []
    const { outcomes } = await runTasks(
      Array.from({ length: 20 }, (_, i) => i),
      async (i, { signal }: TaskContext) => {
        if (i === 1) {
          await delay(10)
          return { status: TaskStatus.Failure, value: i }
        }
        const wasAborted = await delay(10_000, signal)
        if (wasAborted) aborted.push(i)
        return { status: wasAborted ? TaskStatus.Cancelled : TaskStatus.Success, value: i }
      },
      { concurrency: 3, policies: [new FailFast(1)] }
    )
    expect(outcomes[1]?.status).toBe(TaskStatus.Failure)
    expect(aborted.sort()).toEqual([0, 2])
    expect(outcomes[0]?.status).toBe(TaskStatus.Cancelled)
    expect(outcomes[2]?.status).toBe(TaskStatus.Cancelled)
    expect(
      outcomes.slice(3).every(o => o.status === TaskStatus.Skipped && o.slot === undefined)
    ).toBe(true)
  })

  it('without fail-fast runs everything despite failures', async () => {
    const { outcomes } = await runTasks(
      [1, 2, 3, 4],
      async i => ({ status: i % 2 ? TaskStatus.Failure : TaskStatus.Success, value: i }),
      { concurrency: 2 }
    )
    expect(outcomes.map(o => o.status)).toEqual(['failure', 'success', 'failure', 'success'])
  })

  it('halts when the caller aborts, and skips everything if aborted before the start', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const promise = runTasks(
      [0, 1, 2, 3, 4, 5],
      async (i, { signal }) => {
        started.push(i)
        const wasAborted = await delay(10_000, signal)
        return { status: wasAborted ? TaskStatus.Cancelled : TaskStatus.Success, value: i }
      },
      { concurrency: 2, policies: [new Cancellation(controller.signal)] }
    )
    await delay(20)
    controller.abort()
    const { outcomes } = await promise
    expect(started).toEqual([0, 1])
    expect(outcomes.map(o => o.status)).toEqual([
      'cancelled',
      'cancelled',
      'skipped',
      'skipped',
      'skipped',
      'skipped'
    ])

    const before = new AbortController()
    before.abort()
    const { outcomes: none } = await runTasks(
      [1, 2],
      async () => ({ status: TaskStatus.Success, value: 0 }),
      {
        concurrency: 1,
        policies: [new Cancellation(before.signal)]
      }
    )
    expect(none.map(o => o.status)).toEqual(['skipped', 'skipped'])
  })

  it('reports every outcome through onSettled and every start through onStart', async () => {
    const settled: number[] = []
    const starts: number[] = []
    await runTasks([1, 2, 3], async i => ({ status: TaskStatus.Success, value: i }), {
      concurrency: 2,
      onStart: index => starts.push(index),
      onSettled: outcome => settled.push(outcome.index)
    })
    expect(starts.sort()).toEqual([0, 1, 2])
    expect(settled.sort()).toEqual([0, 1, 2])
  })

  it('rejects a concurrency below 1 with p-limit’s message', async () => {
    await expect(
      runTasks([1], async () => ({ status: TaskStatus.Success, value: 0 }), { concurrency: 0 })
    ).rejects.toThrow('Expected `concurrency` to be a number from 1 and up')
  })

  it('handles an empty list', async () => {
    expect(
      await runTasks([], async () => ({ status: TaskStatus.Success, value: 0 }), { concurrency: 3 })
    ).toEqual({ outcomes: [], halt: undefined })
  })
})

describe('runTasks with needs and priorities', () => {
  const succeedAfter =
    (ms: number, order: number[]) =>
    async (i: number): Promise<{ status: TaskStatus; value: number }> => {
      order.push(i)
      await delay(ms)
      return { status: TaskStatus.Success, value: i }
    }

  it('starts a task only once all its needs have succeeded', async () => {
    const starts: number[] = []
    const ends: number[] = []
    // 0: build, 1: lint, 2: unit (needs 0), 3: e2e (needs 0 and 2)
    const { outcomes } = await runTasks(
      [0, 1, 2, 3],
      async i => {
        starts.push(i)
        await delay(i === 0 ? 40 : 10)
        ends.push(i)
        return { status: TaskStatus.Success, value: i }
      },
      { concurrency: 4, needs: [[], [], [0], [0, 2]] }
    )
    expect(outcomes.map(o => o.status)).toEqual(['success', 'success', 'success', 'success'])
    expect(starts.indexOf(2)).toBeGreaterThan(-1)
    expect(ends.indexOf(0)).toBeLessThan(starts.indexOf(2))
    expect(ends.indexOf(2)).toBeLessThan(starts.indexOf(3))
  })

  it('skips what needs a failed or skipped task, with the reason, and runs the rest', async () => {
    const { outcomes } = await runTasks(
      ['build', 'lint', 'unit', 'e2e'],
      async name => ({
        status: name === 'build' ? TaskStatus.Failure : TaskStatus.Success,
        value: name
      }),
      { concurrency: 2, needs: [[], [], [0], [2]] }
    )
    expect(outcomes.map(o => [o.status, o.reason])).toEqual([
      ['failure', undefined],
      ['success', undefined],
      ['skipped', 'item 1 failed'],
      ['skipped', 'item 3 was skipped']
    ])
    expect(outcomes.map(o => o.blockedBy)).toEqual([
      undefined,
      undefined,
      [{ index: 0, status: 'failure' }],
      [{ index: 2, status: 'skipped' }]
    ])
  })

  it('starts higher priorities first, ties in input order', async () => {
    const order: number[] = []
    await runTasks([0, 1, 2, 3, 4], succeedAfter(5, order), {
      concurrency: 1,
      priorities: [0, 5, 0, 9, 5]
    })
    expect(order).toEqual([3, 1, 4, 0, 2])
  })

  it('does not hang on a cycle that slipped past validation', async () => {
    const { outcomes } = await runTasks(
      [0, 1],
      async i => ({ status: TaskStatus.Success, value: i }),
      {
        concurrency: 1,
        needs: [[1], [0]]
      }
    )
    expect(outcomes.map(o => o.status)).toEqual(['skipped', 'skipped'])
  })
})

describe('runTasks halt policies', () => {
  /** Items: 'f' fails after 10 ms, 's' succeeds after 10 ms, 'L' runs long (until stopped). */
  const run = (
    items: string[],
    options: { maxFailures?: number; stopAfterSuccesses?: number; haltMode: HaltMode }
  ) =>
    runTasks(
      items,
      async (item, { signal }) => {
        if (item === 'L') {
          const stopped = await delay(2000, signal)
          return { status: stopped ? TaskStatus.Cancelled : TaskStatus.Success, value: item }
        }
        await delay(10)
        return { status: item === 'f' ? TaskStatus.Failure : TaskStatus.Success, value: item }
      },
      {
        concurrency: 2,
        policies: [
          ...(options.maxFailures ? [new FailFast(options.maxFailures, options.haltMode)] : []),
          ...(options.stopAfterSuccesses
            ? [new StopOnSuccess(options.stopAfterSuccesses, options.haltMode)]
            : [])
        ]
      }
    )

  it.each([
    // [maxFailures, mode, items, expected statuses, halted]
    [
      1,
      HaltMode.Cancel,
      ['L', 'f', 's', 's'],
      ['cancelled', 'failure', 'skipped', 'skipped'],
      true
    ],
    [1, HaltMode.Drain, ['L', 'f', 's', 's'], ['success', 'failure', 'skipped', 'skipped'], true],
    [
      2,
      HaltMode.Cancel,
      ['f', 'f', 's', 's', 'L'],
      // item 3 had started when the second failure came, and ignores its signal
      ['failure', 'failure', 'success', 'skipped', 'skipped'],
      true
    ],
    [
      2,
      HaltMode.Cancel,
      ['f', 's', 's', 'f', 's', 's'],
      ['failure', 'success', 'success', 'failure', 'success', 'skipped'],
      true
    ],
    [3, HaltMode.Cancel, ['f', 's', 'f', 's'], ['failure', 'success', 'failure', 'success'], false],
    [undefined, HaltMode.Cancel, ['f', 'f', 'f'], ['failure', 'failure', 'failure'], false]
  ])('maxFailures %p, %s: %j', async (maxFailures, haltMode, items, statuses, halted) => {
    const { outcomes, halt } = await run(items, { maxFailures, haltMode })
    expect(outcomes.map(o => o.status)).toEqual(statuses)
    expect(halt !== undefined).toBe(halted)
    if (halted) expect(halt?.kind).toBe(HaltKind.Failures)
  })

  it.each([
    [HaltMode.Cancel, ['s', 'L', 's', 's'], ['success', 'cancelled', 'skipped', 'skipped']],
    [HaltMode.Drain, ['s', 'L', 's', 's'], ['success', 'success', 'skipped', 'skipped']]
  ])('stopAfterSuccesses 1, %s', async (haltMode, items, statuses) => {
    const { outcomes, halt } = await run(items, { stopAfterSuccesses: 1, haltMode })
    expect(outcomes.map(o => o.status)).toEqual(statuses)
    expect(halt?.kind).toBe(HaltKind.Successes)
    expect(halt?.message).toBe('stop-on-success: 1 task succeeded')
  })

  it('a total timeout stops running tasks with a timeout halt and skips the rest', async () => {
    let reason: unknown
    const { outcomes, halt } = await runTasks(
      ['L', 'L', 'L'],
      async (_, { signal }) => {
        await delay(5000, signal)
        reason = signal.reason
        return { status: TaskStatus.TimedOut, value: 0 }
      },
      { concurrency: 2, policies: [new TotalTimeout(50)] }
    )
    expect(outcomes.map(o => o.status)).toEqual(['timed-out', 'timed-out', 'skipped'])
    expect(halt?.kind).toBe(HaltKind.Timeout)
    expect(reason).toBeInstanceOf(Halt)
    expect(outcomes[2]?.reason).toBe('not started: total-timeout of 50ms ran out')
  })
})
