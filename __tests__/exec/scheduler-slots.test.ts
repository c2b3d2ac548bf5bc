import { describe, expect, it } from '@jest/globals'
import { FailFast } from '../../src/exec/halt-policies.js'
import { runTasks } from '../../src/exec/scheduler.js'
import { type Waiting } from '../../src/exec/start-gate.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { ManualTasks, settleDown } from '../helpers/manual-tasks.js'
import { delay } from '../helpers/tasks.js'

describe('runTasks with slots', () => {
  it('gives a task as many distinct slots as it holds, the lowest free ones, its slot the lowest', async () => {
    const tasks = new ManualTasks()
    const starts: [number, number, readonly number[]][] = []
    const run = runTasks([1, 1, 1, 2, 3], tasks.task, {
      concurrency: 4,
      slots: [1, 1, 1, 2, 3],
      onStart: (index, slot, slots) => starts.push([index, slot, [...slots]])
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 1, 2])
    // Slot 2 frees up while 1 and 3 stay busy: the 2-slot task takes 2 and 4, not adjacent ones.
    await tasks.end(1)
    expect(tasks.starts.at(-1)).toEqual({ index: 3, slot: 2, slots: [2, 4] })
    await tasks.end(0)
    await tasks.end(2)
    expect(tasks.runningNow).toEqual([3])
    await tasks.end(3)
    expect(tasks.starts.at(-1)).toEqual({ index: 4, slot: 1, slots: [1, 2, 3] })
    await tasks.end(4)
    const { outcomes } = await run
    expect(starts).toEqual(tasks.starts.map(({ index, slot, slots }) => [index, slot, slots]))
    expect(outcomes.map(({ slot, slots }) => [slot, slots])).toEqual([
      [1, [1]],
      [2, [2]],
      [3, [3]],
      [2, [2, 4]],
      [1, [1, 2, 3]]
    ])
  })

  it('never holds more slots than the concurrency at once, and fills them', async () => {
    const slots = Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 4))
    const held = new Set<number>()
    let peak = 0
    const { outcomes } = await runTasks(
      slots,
      async (count, context) => {
        expect(context.slots).toHaveLength(count)
        expect(context.slot).toBe(context.slots[0])
        expect([...context.slots].sort((a, b) => a - b)).toEqual(context.slots)
        for (const slot of context.slots) {
          expect(held.has(slot)).toBe(false)
          expect(slot).toBeGreaterThanOrEqual(1)
          expect(slot).toBeLessThanOrEqual(4)
          held.add(slot)
        }
        peak = Math.max(peak, held.size)
        await delay(2 + (context.index % 5) * 3)
        for (const slot of context.slots) held.delete(slot)
        return { status: TaskStatus.Success, value: count }
      },
      { concurrency: 4, slots }
    )
    expect(peak).toBe(4)
    expect(outcomes.every(outcome => outcome.status === TaskStatus.Success)).toBe(true)
  })

  it('lets no task ranked after a task waiting for slots start before it (it would starve)', async () => {
    const tasks = new ManualTasks()
    const waits: Waiting[] = []
    const run = runTasks([1, 1, 4, 1, 1], tasks.task, {
      concurrency: 4,
      slots: [1, 1, 4, 1, 1],
      onWaiting: waiting => waits.push(waiting)
    })
    await settleDown()
    // Two slots are free, but the 4-slot task is next: the 1-slot tasks after it wait too.
    expect(tasks.runningNow).toEqual([0, 1])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 4, onGate: false })
    await tasks.end(0)
    expect(tasks.runningNow).toEqual([1])
    await tasks.end(1)
    expect(tasks.runningNow).toEqual([2])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    await tasks.end(2)
    expect(tasks.runningNow).toEqual([3, 4])
    await tasks.end(3)
    await tasks.end(4)
    await run
    expect(tasks.started).toEqual([0, 1, 2, 3, 4])
  })

  it('starts a higher-priority task that fits while a lower one waits for slots', async () => {
    const tasks = new ManualTasks()
    // 3 becomes ready when 1 ends, with a higher priority than the waiting 3-slot task 2.
    const run = runTasks([1, 1, 3, 1, 1], tasks.task, {
      concurrency: 3,
      slots: [1, 1, 3, 1, 1],
      needs: [[], [], [], [1], []],
      priorities: [0, 0, 0, 5, 0]
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 1])
    await tasks.end(1)
    expect(tasks.runningNow).toEqual([0, 3])
    await tasks.end(0)
    await tasks.end(3)
    expect(tasks.runningNow).toEqual([2])
    await tasks.end(2)
    await tasks.end(4)
    await run
    expect(tasks.started).toEqual([0, 1, 3, 2, 4])
  })

  it('skips a task waiting for slots when fail-fast halts the run, with the halt as reason', async () => {
    const tasks = new ManualTasks()
    const waits: Waiting[] = []
    const run = runTasks([1, 2, 1], tasks.task, {
      concurrency: 2,
      slots: [1, 2, 1],
      policies: [new FailFast(1)],
      onWaiting: waiting => waits.push(waiting)
    })
    await settleDown()
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 2, onGate: false })
    await tasks.end(0, TaskStatus.Failure)
    const { outcomes, halt } = await run
    expect(halt?.message).toBe('fail-fast: 1 task did not succeed')
    expect(outcomes.slice(1).map(({ status, reason, slot }) => [status, reason, slot])).toEqual([
      [TaskStatus.Skipped, 'not started: fail-fast: 1 task did not succeed', undefined],
      [TaskStatus.Skipped, 'not started: fail-fast: 1 task did not succeed', undefined]
    ])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
  })

  it('looks at no other queued task as one starts, when every task holds one slot', async () => {
    const count = 2000
    let reads = 0
    const priorities = new Proxy(new Array<number>(count).fill(0), {
      get(target, key, receiver): unknown {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        return Reflect.get(target, key, receiver) as unknown
      }
    })
    const { outcomes } = await runTasks(
      Array.from({ length: count }, (_, i) => i),
      async index => ({ status: TaskStatus.Success, value: index }),
      { concurrency: 4, slots: new Array<number>(count).fill(1), priorities }
    )
    expect(outcomes).toHaveLength(count)
    // Queuing compares a task with the one before it; starting compares nothing.
    expect(reads).toBeLessThanOrEqual(2 * count)
  })

  it('does not check the slots of an item settled before the run: it never starts', async () => {
    // The caller counts workers from the slots of what runs: here 1, below the reused item's 3.
    const { outcomes } = await runTasks(
      [0, 1],
      async index => ({ status: TaskStatus.Success, value: index }),
      {
        concurrency: 1,
        slots: [3, 1],
        settledBefore: new Map([[0, { status: TaskStatus.Reused, value: 0 }]])
      }
    )
    expect(outcomes.map(({ status, slots }) => [status, slots])).toEqual([
      [TaskStatus.Reused, undefined],
      [TaskStatus.Success, [1]]
    ])
  })

  it.each([
    [0, 'got 0'],
    [4, 'got 4'],
    [1.5, 'got 1.5'],
    [Number.NaN, 'got NaN']
  ])('refuses slots %p with a TypeError naming the item', async (count, got) => {
    const run = runTasks([1, 2], async () => ({ status: TaskStatus.Success, value: 0 }), {
      concurrency: 3,
      slots: [1, count]
    })
    await expect(run).rejects.toThrow(TypeError)
    await expect(run).rejects.toThrow(
      `Expected \`slots\` of item 2 to be a whole number from 1 to 3, ${got}`
    )
  })
})
