import { describe, expect, it, jest } from '@jest/globals'
import { FailFast, TotalTimeout } from '../../src/exec/halt-policies.js'
import { type Outcome, runTasks } from '../../src/exec/scheduler.js'
import { type StartGate, type Waiting } from '../../src/exec/start-gate.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { ManualTasks, settleDown } from '../helpers/manual-tasks.js'
import { delay } from '../helpers/tasks.js'

/** A gate the test opens and closes, counting how often it was asked. */
class TestGate implements StartGate {
  asked = 0
  constructor(
    public open: boolean,
    readonly retryMs: number
  ) {}
  admits(): boolean {
    this.asked++
    return this.open
  }
}

/**
 * Waits until `condition` holds, looking every few milliseconds, for at most `deadlineMs` (generous:
 * the machine may be loaded). Resolves whether it held, so the test can fail when it never does.
 */
async function waitFor(condition: () => boolean, deadlineMs = 10_000): Promise<boolean> {
  const until = Date.now() + deadlineMs
  while (!condition()) {
    if (Date.now() > until) return false
    await delay(5)
  }
  return true
}

/**
 * Runs `body` and says how many timers of `retryMs` it set and how many were still pending once it
 * resolved (neither fired nor cleared). Only those timers are followed: other tests' may come and go.
 */
async function retryTimers(
  retryMs: number,
  body: () => Promise<unknown>
): Promise<{ set: number; left: number }> {
  const pending = new Set<unknown>()
  let set = 0
  const realSet = globalThis.setTimeout
  const realClear = globalThis.clearTimeout
  const setSpy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((
    callback: () => void,
    ms?: number
  ) => {
    if (ms !== retryMs) return realSet(callback, ms)
    set++
    const timer = realSet(() => {
      pending.delete(timer)
      callback()
    }, ms)
    pending.add(timer)
    return timer
  }) as typeof setTimeout)
  const clearSpy = jest.spyOn(globalThis, 'clearTimeout').mockImplementation(timer => {
    pending.delete(timer)
    realClear(timer)
  })
  try {
    await body()
  } finally {
    setSpy.mockRestore()
    clearSpy.mockRestore()
  }
  for (const timer of pending) realClear(timer as ReturnType<typeof setTimeout>)
  return { set, left: pending.size }
}

describe('runTasks with a start gate', () => {
  it('starts one task without asking when nothing runs, and the others once it admits', async () => {
    const tasks = new ManualTasks()
    const gate = new TestGate(false, 20)
    const waits: Waiting[] = []
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 3,
      gate,
      onWaiting: waiting => waits.push(waiting)
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: true })
    // The retry timer asks again and again while the gate refuses; nothing more starts.
    expect(await waitFor(() => gate.asked >= 3)).toBe(true)
    expect(tasks.runningNow).toEqual([0])
    gate.open = true
    // The retry timer asks again: the others start while 0 still runs.
    expect(await waitFor(() => tasks.runningNow.length === 3)).toBe(true)
    expect(tasks.runningNow).toEqual([0, 1, 2])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    for (const index of [0, 1, 2]) await tasks.end(index)
    await run
  })

  it('asks again as a task ends, without waiting for the retry', async () => {
    const tasks = new ManualTasks()
    const gate = new TestGate(true, 60_000)
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 3,
      gate,
      // The gate closes once 1 has started: 2 is refused.
      onStart: index => (gate.open = index < 1)
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 1])
    gate.open = true
    await tasks.end(1)
    expect(tasks.runningNow).toEqual([0, 2])
    await tasks.end(0)
    await tasks.end(2)
    await run
  })

  it('runs one task at a time when the gate refuses for ever, and leaves no timer behind', async () => {
    const gate = new TestGate(false, 60_000)
    let running = 0
    let peak = 0
    const started = Date.now()
    let outcomes: Outcome<number>[] = []
    const timers = await retryTimers(60_000, async () => {
      ;({ outcomes } = await runTasks(
        [0, 1, 2, 3],
        async index => {
          peak = Math.max(peak, ++running)
          await delay(5)
          running--
          return { status: TaskStatus.Success, value: index }
        },
        { concurrency: 4, gate }
      ))
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(peak).toBe(1)
    expect(outcomes.map(outcome => outcome.status)).toEqual(Array(4).fill(TaskStatus.Success))
    expect(gate.asked).toBeGreaterThan(0)
    expect(timers.set).toBeGreaterThan(0)
    expect(timers.left).toBe(0)
  })

  it('skips tasks waiting on the gate when fail-fast halts, and clears the retry timer', async () => {
    const tasks = new ManualTasks()
    const waits: Waiting[] = []
    let outcomes: Outcome<number>[] = []
    const timers = await retryTimers(60_000, async () => {
      const run = runTasks([0, 1, 2], tasks.task, {
        concurrency: 3,
        gate: new TestGate(false, 60_000),
        policies: [new FailFast(1)],
        onWaiting: waiting => waits.push(waiting)
      })
      await settleDown()
      expect(tasks.runningNow).toEqual([0])
      await tasks.end(0, TaskStatus.Failure)
      ;({ outcomes } = await run)
    })
    const reason = 'not started: fail-fast: 1 task did not succeed'
    expect(outcomes.slice(1).map(({ status, reason }) => [status, reason])).toEqual([
      [TaskStatus.Skipped, reason],
      [TaskStatus.Skipped, reason]
    ])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    expect(timers).toEqual({ set: 1, left: 0 })
  })

  it('skips tasks waiting on the gate when the total-timeout runs out', async () => {
    const tasks = new ManualTasks()
    const gate = new TestGate(false, 5)
    const waits: Waiting[] = []
    const run = runTasks([0, 1], tasks.task, {
      concurrency: 2,
      gate,
      // Any time the halt comes, 1 waits on the gate: 0 never ends by itself, the gate never opens.
      policies: [new TotalTimeout(300)],
      onWaiting: waiting => waits.push(waiting)
    })
    const { outcomes, halt } = await run
    expect(gate.asked).toBeGreaterThan(0)
    expect(waits).toEqual([
      { onLocks: 0, onSlots: 0, onGate: true },
      { onLocks: 0, onSlots: 0, onGate: false }
    ])
    expect(halt?.message).toBe('total-timeout of 300ms ran out')
    expect(outcomes.map(({ status }) => status)).toEqual([TaskStatus.Cancelled, TaskStatus.Skipped])
    expect(outcomes[1]?.reason).toBe('not started: total-timeout of 300ms ran out')
  })
})
