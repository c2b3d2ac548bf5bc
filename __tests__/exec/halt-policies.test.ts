import { describe, expect, it, jest } from '@jest/globals'
import {
  Cancellation,
  FailFast,
  StopOnSuccess,
  TotalTimeout,
  type HaltPolicy,
  type HaltRequest
} from '../../src/exec/halt-policies.js'
import { runTasks } from '../../src/exec/scheduler.js'
import { Halt, HaltKind, HaltMode } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { delay } from '../helpers/tasks.js'

describe('FailFast', () => {
  it('asks for a halt once the limit of unsuccessful tasks is reached, in its mode', () => {
    const policy = new FailFast(2, HaltMode.Drain)
    expect(policy.onSettled(TaskStatus.Failure, { succeeded: 3, failed: 1 })).toBeUndefined()
    const request = policy.onSettled(TaskStatus.TimedOut, { succeeded: 3, failed: 2 })
    expect(request?.mode).toBe(HaltMode.Drain)
    expect(request?.reason.kind).toBe(HaltKind.Failures)
    expect(request?.reason.message).toBe('fail-fast: 2 tasks did not succeed')
    expect(new FailFast(1).onSettled(TaskStatus.Failure, { succeeded: 0, failed: 1 })).toEqual({
      reason: new Halt(HaltKind.Failures, 'fail-fast: 1 task did not succeed'),
      mode: HaltMode.Cancel
    })
  })
})

describe('StopOnSuccess', () => {
  it('asks for a halt once enough tasks succeeded', () => {
    const policy = new StopOnSuccess(2)
    expect(policy.onSettled(TaskStatus.Success, { succeeded: 1, failed: 5 })).toBeUndefined()
    const request = policy.onSettled(TaskStatus.Success, { succeeded: 2, failed: 5 })
    expect(request?.mode).toBe(HaltMode.Cancel)
    expect(request?.reason.kind).toBe(HaltKind.Successes)
    expect(request?.reason.message).toBe('stop-on-success: 2 tasks succeeded')
  })
})

describe('TotalTimeout', () => {
  it('halts with a timeout once the budget runs out, and not after it is stopped', () => {
    jest.useFakeTimers()
    try {
      const halts: HaltRequest[] = []
      const stop = new TotalTimeout(100).start(request => halts.push(request))
      jest.advanceTimersByTime(99)
      expect(halts).toHaveLength(0)
      jest.advanceTimersByTime(1)
      expect(halts).toHaveLength(1)
      expect(halts[0]?.mode).toBe(HaltMode.Cancel)
      expect(halts[0]?.reason.kind).toBe(HaltKind.Timeout)
      expect(halts[0]?.reason.message).toBe('total-timeout of 100ms ran out')
      stop()

      const stopped = new TotalTimeout(100).start(request => halts.push(request))
      stopped()
      jest.advanceTimersByTime(1000)
      expect(halts).toHaveLength(1)
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('Cancellation', () => {
  it('halts at once when the signal is already aborted, passing a Halt reason on', () => {
    const controller = new AbortController()
    const reason = new Halt(HaltKind.Timeout, 'the caller ran out of time')
    controller.abort(reason)
    const halts: HaltRequest[] = []
    new Cancellation(controller.signal).start(request => halts.push(request))()
    expect(halts).toEqual([{ reason, mode: HaltMode.Cancel }])
  })

  it('halts as the signal aborts, wrapping another reason, and not after it is stopped', () => {
    const controller = new AbortController()
    const halts: HaltRequest[] = []
    const stop = new Cancellation(controller.signal).start(request => halts.push(request))
    expect(halts).toHaveLength(0)
    controller.abort('SIGTERM')
    expect(halts).toHaveLength(1)
    expect(halts[0]?.reason.kind).toBe(HaltKind.Cancelled)
    expect(halts[0]?.reason.message).toBe('SIGTERM')
    expect(halts[0]?.mode).toBe(HaltMode.Cancel)
    stop()

    const later = new AbortController()
    new Cancellation(later.signal).start(request => halts.push(request))()
    later.abort()
    expect(halts).toHaveLength(1)
  })
})

describe('runTasks with a halt policy', () => {
  /** A policy that halts the run from outside once `ms` have passed. */
  const haltAfter = (ms: number, mode: HaltMode): HaltPolicy & { stopped: boolean } => ({
    stopped: false,
    start(halt) {
      const timer = setTimeout(
        () => halt({ reason: new Halt(HaltKind.Cancelled, 'enough'), mode }),
        ms
      )
      return () => {
        this.stopped = true
        clearTimeout(timer)
      }
    }
  })
  const longTasks = async (_: number, { signal }: { signal: AbortSignal }) => {
    const stopped = await delay(300, signal)
    return { status: stopped ? TaskStatus.Cancelled : TaskStatus.Success, value: stopped }
  }

  it('a halt from start() stops running tasks and skips the rest, then the policy is stopped', async () => {
    const policy = haltAfter(30, HaltMode.Cancel)
    const { outcomes, halt } = await runTasks([1, 2, 3, 4], longTasks, {
      concurrency: 2,
      policies: [policy]
    })
    expect(outcomes.map(o => o.status)).toEqual(['cancelled', 'cancelled', 'skipped', 'skipped'])
    expect(outcomes[2]?.reason).toBe('not started: enough')
    expect(halt?.message).toBe('enough')
    expect(policy.stopped).toBe(true)
  })

  it('a draining halt lets running tasks finish and starts nothing more', async () => {
    const { outcomes, halt } = await runTasks([1, 2, 3, 4], longTasks, {
      concurrency: 2,
      policies: [haltAfter(30, HaltMode.Drain)]
    })
    expect(outcomes.map(o => o.status)).toEqual(['success', 'success', 'skipped', 'skipped'])
    expect(halt?.kind).toBe(HaltKind.Cancelled)
  })

  it('asks onSettled with the tally of tasks that ran, and halts on the first that asks', async () => {
    const asked: [TaskStatus, number, number][] = []
    const recording: HaltPolicy = {
      onSettled(status, { succeeded, failed }) {
        asked.push([status, succeeded, failed])
        return undefined
      }
    }
    const { outcomes, halt } = await runTasks(
      ['s', 'f', 's', 's'],
      async item => ({
        status: item === 'f' ? TaskStatus.Failure : TaskStatus.Success,
        value: item
      }),
      { concurrency: 1, policies: [recording, new StopOnSuccess(2), new FailFast(1)] }
    )
    expect(asked).toEqual([
      [TaskStatus.Success, 1, 0],
      [TaskStatus.Failure, 1, 1]
    ])
    // FailFast is asked only after StopOnSuccess, which did not ask for a halt.
    expect(halt?.kind).toBe(HaltKind.Failures)
    expect(outcomes.map(o => o.status)).toEqual(['success', 'failure', 'skipped', 'skipped'])
  })
})

describe('FailFast and StopOnSuccess under batches', () => {
  /** Batch sizes by task index: batch 1 has 2 items, batch 2 has 2, batch 3 has 3. */
  const sizes = (index: number): number => [2, 2, 3][index] ?? 1

  it('count batches and say how many items those batches held', () => {
    const failFast = new FailFast(2, HaltMode.Cancel, sizes)
    expect(failFast.onSettled(TaskStatus.Failure, { succeeded: 0, failed: 1 }, 0)).toBeUndefined()
    expect(failFast.onSettled(TaskStatus.Success, { succeeded: 1, failed: 1 }, 2)).toBeUndefined()
    const failed = failFast.onSettled(TaskStatus.TimedOut, { succeeded: 1, failed: 2 }, 1)
    expect(failed?.reason.message).toBe('fail-fast: 2 batches did not succeed (4 items)')

    const stop = new StopOnSuccess(1, HaltMode.Cancel, sizes)
    expect(stop.onSettled(TaskStatus.Failure, { succeeded: 0, failed: 1 }, 2)).toBeUndefined()
    const succeeded = stop.onSettled(TaskStatus.Success, { succeeded: 1, failed: 1 }, 0)
    expect(succeeded?.reason.message).toBe('stop-on-success: 1 batch succeeded (2 items)')
  })

  it('halt a run of batches with the items counted, through the scheduler', async () => {
    // Batches of 2, 3 and 3 items: the scheduler tells the policies which batch ended.
    const batchSizes = (index: number): number => [2, 3, 3][index] ?? 1
    const statuses = [TaskStatus.Failure, TaskStatus.Failure, TaskStatus.Success]
    const byIndex = async (index: number) => ({ status: statuses[index] as TaskStatus, value: 0 })
    const { halt } = await runTasks([0, 1, 2], byIndex, {
      concurrency: 1,
      policies: [new FailFast(2, HaltMode.Cancel, batchSizes)]
    })
    expect(halt?.message).toBe('fail-fast: 2 batches did not succeed (5 items)')
    const later = [TaskStatus.Failure, TaskStatus.Success, TaskStatus.Success]
    const won = await runTasks(
      [0, 1, 2],
      async index => ({ status: later[index] as TaskStatus, value: 0 }),
      { concurrency: 1, policies: [new StopOnSuccess(1, HaltMode.Cancel, batchSizes)] }
    )
    expect(won.halt?.message).toBe('stop-on-success: 1 batch succeeded (3 items)')
  })
})
