import { describe, expect, it } from '@jest/globals'
import { FailFast } from '../../src/exec/halt-policies.js'
import { LockTable } from '../../src/exec/lock-table.js'
import { runTasks } from '../../src/exec/scheduler.js'
import { type Waiting } from '../../src/exec/start-gate.js'
import { HaltMode } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { ManualTasks, settleDown } from '../helpers/manual-tasks.js'
import { delay } from '../helpers/tasks.js'

const none: string[] = []

describe('runTasks with locks', () => {
  it('never runs two holders of a lock at once', async () => {
    const names = ['db', 'port-5432', 'cache']
    const locks = Array.from({ length: 30 }, (_, i) =>
      i % 4 === 3 ? none : [...new Set([names[i % 3] as string, ...(i % 5 === 0 ? ['cache'] : [])])]
    )
    const holders = new Map<string, number>()
    let overlapped = 0
    const { outcomes } = await runTasks(
      locks,
      async (mine, { index }) => {
        for (const lock of mine) {
          if (holders.has(lock)) throw new Error(`${lock} held by ${holders.get(lock)}`)
          holders.set(lock, index)
        }
        overlapped = Math.max(overlapped, holders.size)
        await delay(1 + (index % 4) * 3)
        for (const lock of mine) holders.delete(lock)
        return { status: TaskStatus.Success, value: index }
      },
      { concurrency: 4, locks }
    )
    expect(outcomes.map(outcome => String(outcome.error ?? outcome.status))).toEqual(
      locks.map(() => TaskStatus.Success)
    )
    // Different locks were held at once: the locks serialise holders of one lock only.
    expect(overlapped).toBeGreaterThan(1)
  })

  it('starts a free task while a locked one waits (no head-of-line blocking)', async () => {
    const tasks = new ManualTasks()
    const waits: Waiting[] = []
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 2,
      locks: [['db'], ['db'], none],
      onWaiting: waiting => waits.push(waiting)
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 2])
    expect(waits.at(-1)).toEqual({ onLocks: 1, onSlots: 0, onGate: false })
    await tasks.end(2)
    expect(tasks.runningNow).toEqual([0])
    await tasks.end(0)
    expect(tasks.runningNow).toEqual([1])
    expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    await tasks.end(1)
    await run
  })

  it('keeps priorities among the tasks that can run, and puts a released one back in its rank', async () => {
    const tasks = new ManualTasks()
    const run = runTasks([0, 1, 2, 3, 4], tasks.task, {
      concurrency: 2,
      locks: [['db'], ['db'], none, none, none],
      priorities: [9, 8, 1, 3, 0]
    })
    await settleDown()
    // 1 waits on db; of the free tasks the higher priority goes first.
    expect(tasks.started).toEqual([0, 3])
    await tasks.end(3)
    expect(tasks.started).toEqual([0, 3, 2])
    // db is released: 1 ranks before 4, so it takes the free slot.
    await tasks.end(0)
    expect(tasks.started).toEqual([0, 3, 2, 1])
    await tasks.end(2)
    await tasks.end(1)
    await tasks.end(4)
    await run
    expect(tasks.started).toEqual([0, 3, 2, 1, 4])
  })

  it('takes a task’s locks all at once: one held makes it wait without holding the others', async () => {
    const tasks = new ManualTasks()
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 3,
      locks: [['cache'], ['db', 'cache'], ['db']]
    })
    await settleDown()
    // 1 waits on cache and holds nothing, so 2 takes db.
    expect(tasks.runningNow).toEqual([0, 2])
    await tasks.end(0)
    expect(tasks.runningNow).toEqual([2])
    await tasks.end(2)
    expect(tasks.runningNow).toEqual([1])
    await tasks.end(1)
    await run
  })

  it('honours needs and locks together', async () => {
    const tasks = new ManualTasks()
    // 1 needs 0; 0, 1 and 2 share db; 3 is free.
    const run = runTasks([0, 1, 2, 3], tasks.task, {
      concurrency: 4,
      locks: [['db'], ['db'], ['db'], none],
      needs: [[], [0], [], []],
      priorities: [0, 5, 0, 0]
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 3])
    await tasks.end(0)
    // 1 is ready now and ranks before 2, which waited on db longer.
    expect(tasks.runningNow).toEqual([1, 3])
    await tasks.end(1)
    expect(tasks.runningNow).toEqual([2, 3])
    await tasks.end(2)
    await tasks.end(3)
    const { outcomes } = await run
    expect(outcomes.every(outcome => outcome.status === TaskStatus.Success)).toBe(true)
  })

  it.each([HaltMode.Cancel, HaltMode.Drain])(
    'skips tasks waiting on a lock when fail-fast halts (%s), with the halt as reason',
    async mode => {
      const tasks = new ManualTasks()
      const waits: Waiting[] = []
      const run = runTasks([0, 1, 2, 3], tasks.task, {
        concurrency: 3,
        locks: [['db'], ['db'], ['db'], none],
        policies: [new FailFast(1, mode)],
        onWaiting: waiting => waits.push(waiting)
      })
      await settleDown()
      expect(tasks.runningNow).toEqual([0, 3])
      expect(waits.at(-1)).toEqual({ onLocks: 2, onSlots: 0, onGate: false })
      await tasks.end(3, TaskStatus.Failure)
      if (mode === HaltMode.Drain) await tasks.end(0)
      const { outcomes } = await run
      const reason = 'not started: fail-fast: 1 task did not succeed'
      expect(outcomes.map(({ status, reason }) => [status, reason])).toEqual([
        [mode === HaltMode.Cancel ? TaskStatus.Cancelled : TaskStatus.Success, undefined],
        [TaskStatus.Skipped, reason],
        [TaskStatus.Skipped, reason],
        [TaskStatus.Failure, undefined]
      ])
      expect(tasks.started).toEqual([0, 3])
      expect(waits.at(-1)).toEqual({ onLocks: 0, onSlots: 0, onGate: false })
    }
  )

  it.each([
    [[''], '[""]'],
    ['db', '"db"'],
    [[5432], '[5432]']
  ])('refuses locks %p with a TypeError naming the item', async (bad, shown) => {
    const run = runTasks([1, 2], async () => ({ status: TaskStatus.Success, value: 0 }), {
      concurrency: 2,
      locks: [none, bad as unknown as string[]]
    })
    await expect(run).rejects.toThrow(TypeError)
    await expect(run).rejects.toThrow(
      `Expected \`locks\` of item 2 to be a list of non-empty names, got ${shown}`
    )
  })

  it('does not check or keep the locks of an item settled before the run: it never starts', async () => {
    // Item 1 was reused: its locks are not refused (as its slots are not checked).
    const tasks = new ManualTasks()
    const run = runTasks([0, 1, 2], tasks.task, {
      concurrency: 2,
      locks: [[''], ['db'], ['db']],
      settledBefore: new Map([[0, { status: TaskStatus.Reused, value: 0 }]])
    })
    await settleDown()
    expect(tasks.runningNow).toEqual([1])
    await tasks.end(1)
    expect(tasks.runningNow).toEqual([2])
    await tasks.end(2)
    const { outcomes } = await run
    expect(outcomes.map(({ status }) => status)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Success,
      TaskStatus.Success
    ])
  })

  const first = [0, 0, 1, 0, 0, 0, 0]
  it.each([
    ['no priorities', undefined, undefined, [0, 1, 3, 4, 5, 6, 2]],
    ['a higher priority, all ready at once', first, undefined, [2, 0, 1, 3, 4, 5, 6]],
    [
      'a higher priority, ready once 0 ends',
      first,
      [[], [], [0], [], [], [], []],
      [0, 1, 3, 4, 5, 6, 2]
    ]
  ])(
    'keeps no free lock for a task needing two while the other is held: the tasks after it take it (%s)',
    async (_, priorities, needs, order) => {
      // As the README and decision 022 say: it can wait until the tasks after it are done.
      const locks = [['a'], ['b'], ['a', 'b'], ['a'], ['b'], ['a'], ['b']]
      const tasks = new ManualTasks()
      const run = runTasks(locks, tasks.task, { concurrency: 3, locks, priorities, needs })
      await settleDown()
      // The oldest running task ends each time.
      while (tasks.runningNow.length > 0) {
        await tasks.end(tasks.started.find(index => tasks.runningNow.includes(index)) as number)
      }
      await run
      expect(tasks.started).toEqual(order)
    }
  )

  it('runs hundreds of tasks on one lock one at a time, in rank order, beside free ones', async () => {
    const count = 400
    const locks = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? ['db'] : none))
    const lockedOrder: number[] = []
    let holders = 0
    const { outcomes } = await runTasks(
      locks,
      async (mine, { index }) => {
        if (mine.length > 0) {
          expect(++holders).toBe(1)
          lockedOrder.push(index)
        }
        await delay(0)
        if (mine.length > 0) holders--
        return { status: TaskStatus.Success, value: index }
      },
      { concurrency: 4, locks }
    )
    expect(outcomes).toHaveLength(count)
    expect(lockedOrder).toEqual(locks.flatMap((mine, i) => (mine.length > 0 ? [i] : [])))
  })
})

describe('runTasks with locks: cost', () => {
  it('looks at a task set aside on a lock again only once the lock is released', async () => {
    const tasks = new ManualTasks()
    // 0 holds db for the whole test; 1..100 wait on it; 101..300 run beside it one by one.
    const locks = Array.from({ length: 301 }, (_, i) => (i <= 100 ? ['db'] : none))
    let reads = 0
    let counting = false
    const priorities = new Proxy(new Array<number>(301).fill(0), {
      get(target, key, receiver): unknown {
        if (counting && typeof key === 'string' && Number(key) >= 1 && Number(key) <= 100) reads++
        return Reflect.get(target, key, receiver) as unknown
      }
    })
    const run = runTasks(locks, tasks.task, { concurrency: 2, locks, priorities })
    await settleDown()
    expect(tasks.runningNow).toEqual([0, 101])
    counting = true
    for (let index = 101; index <= 300; index++) await tasks.end(index)
    expect(tasks.runningNow).toEqual([0])
    expect(reads).toBe(0)
    await tasks.end(0)
    expect(reads).toBeGreaterThan(0)
    for (let index = 1; index <= 100; index++) await tasks.end(index)
    const { outcomes } = await run
    expect(tasks.started.slice(201)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(outcomes.every(outcome => outcome.status === TaskStatus.Success)).toBe(true)
  })
})

describe('LockTable', () => {
  const byIndex = (a: number, b: number): boolean => a < b

  it('puts back one waiter per released lock, the first-ranked, and passes the lock on if it leaves', () => {
    const table = new LockTable(5, [['db'], ['db'], ['db', 'cache'], ['db'], ['cache']], byIndex)
    const putBack: number[] = []
    const requeue = (index: number): number => putBack.push(index)
    table.take(0)
    table.take(4)
    table.setAside(3, 'db', requeue)
    table.setAside(2, 'db', requeue)
    table.setAside(1, 'db', requeue)
    expect(table.setAsideCount).toBe(3)
    table.release(0, requeue)
    expect(putBack).toEqual([1])
    expect(table.setAsideCount).toBe(2)
    // 1 took db: the others stay aside until it releases.
    table.take(1)
    table.release(1, requeue)
    expect(putBack).toEqual([1, 2])
    // 2 finds cache held and waits on it: db goes on to 3 without anyone taking it.
    expect(table.heldLockOf(2)).toBe('cache')
    table.setAside(2, 'cache', requeue)
    expect(putBack).toEqual([1, 2, 3])
    table.release(4, requeue)
    expect(putBack).toEqual([1, 2, 3, 2])
    expect(table.setAsideCount).toBe(0)
  })

  it('counts a lock listed twice once: its release puts back one waiter', () => {
    const table = new LockTable(3, [['db', 'db'], ['db'], ['db']], byIndex)
    const putBack: number[] = []
    const requeue = (index: number): number => putBack.push(index)
    table.take(0)
    table.setAside(1, 'db', requeue)
    table.setAside(2, 'db', requeue)
    table.release(0, requeue)
    expect(putBack).toEqual([1])
    expect(table.setAsideCount).toBe(1)
  })
})
