import { describe, expect, it } from '@jest/globals'
import { FailFast, TotalTimeout } from '../../src/exec/halt-policies.js'
import { runTasks } from '../../src/exec/scheduler.js'
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

/** How many timers are pending in this process now. */
const pendingTimers = (): number =>
  process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length

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
    await delay(50)
    expect(tasks.runningNow).toEqual([0])
    expect(gate.asked).toBeGreaterThanOrEqual(2)
    gate.open = true
    // The retry timer asks again: the others start while 0 still runs.
    await delay(50)
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
    const before = pendingTimers()
    const gate = new TestGate(false, 60_000)
    let running = 0
    let peak = 0
    const started = Date.now()
    const { outcomes } = await runTasks(
      [0, 1, 2, 3],
      async index => {
        peak = Math.max(peak, ++running)
        await delay(5)
        running--
        return { status: TaskStatus.Success, value: index }
      },
      { concurrency: 4, gate }
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(peak).toBe(1)
    expect(outcomes.every(outcome => outcome.status === TaskStatus.Success)).toBe(true)
    expect(gate.asked).toBeGreaterThan(0)
    expect(pendingTimers()).toBe(before)
  })

  it('skips tasks waiting on the gate when fail-fast halts, and clears the retry timer', async () => {
    const before = pendingTimers()
    const tasks = new ManualTasks()
    const waits: Waiting[] = []
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 3,
      gate: new TestGate(false, 60_000),
      policies: [new FailFast(1)],
      onWaiting: waiting => waits.push(waiting)
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0])
    await tasks.end(0, TaskStatus.Failure)
    const { outcomes } = await run
    const reason = 'not started: fail-fast: 1 task did not succeed'
    expect(outcomes.slice(1).map(({ status, reason }) => [status, reason])).toEqual([
      [TaskStatus.Skipped, reason],
      [TaskStatus.Skipped, reason]
    ])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    expect(pendingTimers()).toBe(before)
  })

  it('skips tasks waiting on the gate when the total-timeout runs out', async () => {
    const tasks = new ManualTasks()
    const run = runTasks([0, 1], tasks.task, {
      concurrency: 2,
      gate: new TestGate(false, 5),
      policies: [new TotalTimeout(40)]
    })
    const { outcomes, halt } = await run
    expect(halt?.message).toBe('total-timeout of 40ms ran out')
    expect(outcomes.map(({ status }) => status)).toEqual([TaskStatus.Cancelled, TaskStatus.Skipped])
    expect(outcomes[1]?.reason).toBe('not started: total-timeout of 40ms ran out')
  })
})
