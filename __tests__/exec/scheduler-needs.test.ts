import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { FailFast } from '../../src/exec/halt-policies.js'
import { type Outcome, runTasks } from '../../src/exec/scheduler.js'
import { unmetNeedsReason } from '../../src/exec/skip-reason.js'
import { HaltMode } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'

/** A promise the test settles when it chooses. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>(done => (resolve = done))
  return { promise, resolve }
}

const NAMES = ['build', 'lint', 'test', 'deploy', 'docs']
const name = (index: number): string => NAMES[index] ?? `task ${index}`

describe('runTasks: tasks skipped for their needs', () => {
  it('decides once every need has settled, naming each that did not succeed', async () => {
    // deploy (3) needs build, lint and test; test is still running when build fails.
    const testDone = deferred<TaskStatus>()
    const settled: string[] = []
    const result = runTasks(
      NAMES.slice(0, 4),
      async (task: string) => ({
        status:
          task === 'test'
            ? await testDone.promise
            : task === 'lint'
              ? TaskStatus.TimedOut
              : TaskStatus.Failure,
        value: task
      }),
      {
        concurrency: 3,
        needs: [[], [], [], [0, 1, 2]],
        name,
        onSettled: outcome => settled.push(name(outcome.index))
      }
    )
    await new Promise(resolve => setTimeout(resolve, 20))
    // build failed and lint timed out, but deploy waits: test may still fail too.
    expect(settled).toEqual(['build', 'lint'])
    testDone.resolve(TaskStatus.Failure)
    const { outcomes } = await result
    expect(settled).toEqual(['build', 'lint', 'test', 'deploy'])
    expect(outcomes[3]?.reason).toBe('build and test failed and lint timed out')
    expect(outcomes[3]?.blockedBy?.map(need => need.index).sort()).toEqual([0, 1, 2])
  })

  it('gives the needs reason, not the halt, to a task whose need failed before the run halted', async () => {
    const lintDone = deferred<TaskStatus>()
    const { outcomes, halt } = await runTasks(
      ['build', 'lint', 'deploy'],
      async (task: string) => {
        if (task === 'build') return { status: TaskStatus.Failure, value: task }
        return { status: await lintDone.promise, value: task }
      },
      {
        concurrency: 2,
        needs: [[], [], [0, 1]],
        name,
        policies: [new FailFast(1, HaltMode.Drain)],
        // lint ends only after build has failed and halted the run.
        onSettled: outcome => {
          if (outcome.index === 0) setTimeout(() => lintDone.resolve(TaskStatus.Success), 10)
        }
      }
    )
    expect(halt?.message).toContain('fail-fast')
    expect(outcomes[2]?.reason).toBe('build failed')
  })
})

describe('unmetNeedsReason', () => {
  it('groups the needs by how they ended, in input order, with plain English verbs', () => {
    const unmet = (...pairs: [number, TaskStatus][]) =>
      unmetNeedsReason(
        pairs.map(([index, status]) => ({ index, status })),
        name
      )
    expect(unmet([2, TaskStatus.Failure])).toBe('test failed')
    expect(unmet([2, TaskStatus.Failure], [0, TaskStatus.Failure])).toBe('build and test failed')
    expect(unmet([1, TaskStatus.TimedOut], [2, TaskStatus.Failure])).toBe(
      'lint timed out and test failed'
    )
    expect(unmet([0, TaskStatus.Cancelled])).toBe('build was cancelled')
    expect(unmet([0, TaskStatus.Skipped], [1, TaskStatus.Skipped])).toBe(
      'build and lint were skipped'
    )
    expect(unmet([0, TaskStatus.Failure], [1, TaskStatus.Skipped], [2, TaskStatus.TimedOut])).toBe(
      'build failed, lint was skipped and test timed out'
    )
  })

  it('names at most five needs and counts the rest', () => {
    const many = Array.from({ length: 9 }, (_, index) => ({
      index,
      status: index < 7 ? TaskStatus.Failure : TaskStatus.TimedOut
    }))
    expect(unmetNeedsReason(many, index => `t${index}`)).toBe(
      't0, t1, t2, t3, t4 and 2 more failed and 2 more timed out'
    )
  })
})

/** A random set of tasks with needs on earlier ones, and how each would end if it ran. */
const plans = fc
  .array(
    fc.record({
      needs: fc.uniqueArray(fc.nat(), { maxLength: 4 }),
      status: fc.constantFrom(
        TaskStatus.Success,
        TaskStatus.Success,
        TaskStatus.Failure,
        TaskStatus.TimedOut,
        TaskStatus.Cancelled
      ),
      delayMs: fc.integer({ min: 0, max: 3 })
    }),
    { minLength: 1, maxLength: 12 }
  )
  .map(tasks =>
    tasks.map((task, index) => ({
      ...task,
      needs: index === 0 ? [] : [...new Set(task.needs.map(need => need % index))]
    }))
  )

describe('runTasks: needs, for any plan', () => {
  it('runs a task exactly when all its needs succeeded, and skips the rest naming every unmet need', async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(plans, fc.integer({ min: 1, max: 4 }), async (tasks, concurrency) => {
        runs++
        const ran = new Set<number>()
        const order: number[] = []
        const { outcomes } = await runTasks(
          tasks,
          async (task, { index }) => {
            ran.add(index)
            await new Promise(resolve => setTimeout(resolve, task.delayMs))
            return { status: task.status, value: index }
          },
          {
            concurrency,
            needs: tasks.map(task => task.needs),
            name: index => `t${index}`,
            onSettled: outcome => order.push(outcome.index)
          }
        )
        expect(outcomes).toHaveLength(tasks.length)
        const statusOf = (index: number): TaskStatus => (outcomes[index] as Outcome<number>).status
        tasks.forEach((task, index) => {
          const unmet = task.needs.filter(need => statusOf(need) !== TaskStatus.Success)
          const outcome = outcomes[index] as Outcome<number>
          expect(ran.has(index)).toBe(unmet.length === 0)
          if (unmet.length === 0) return
          expect(outcome.status).toBe(TaskStatus.Skipped)
          expect(outcome.blockedBy?.map(need => need.index).sort((a, b) => a - b)).toEqual(
            [...unmet].sort((a, b) => a - b)
          )
          // Decided only after every need settled, so the reason is complete.
          for (const need of task.needs) {
            expect(order.indexOf(need)).toBeLessThan(order.indexOf(index))
          }
          if (unmet.length <= 5) {
            for (const need of unmet) expect(outcome.reason).toMatch(new RegExp(`\\bt${need}\\b`))
          }
          expect(outcome.reason).not.toMatch(/\b(failure|timed-out)\b/)
        })
      }),
      { numRuns: 300 }
    )
    expect(runs).toBe(300)
  })
})

describe('runTasks: needs when the run halts, for any plan in any input order', () => {
  it('names as unmet only needs that ended before the halt, never ones the halt skipped', async () => {
    // The plan's tasks in a random input order, so needs point both ways.
    const shuffled = plans.chain(tasks =>
      fc.shuffledSubarray([...tasks.keys()], { minLength: tasks.length }).map(order => {
        const position = new Map(order.map((original, at) => [original, at]))
        return order.map(original => {
          const task = tasks[original] as (typeof tasks)[number]
          return { ...task, needs: task.needs.map(need => position.get(need) as number) }
        })
      })
    )
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        shuffled,
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(HaltMode.Drain, HaltMode.Cancel),
        async (tasks, concurrency, mode) => {
          runs++
          const settledTimes = new Map<number, number>()
          const { outcomes } = await runTasks(
            tasks,
            async (task, { index }) => {
              await new Promise(resolve => setTimeout(resolve, task.delayMs))
              return { status: task.status, value: index }
            },
            {
              concurrency,
              needs: tasks.map(task => task.needs),
              name: index => `t${index}`,
              policies: [new FailFast(1, mode)],
              onSettled: outcome =>
                settledTimes.set(outcome.index, (settledTimes.get(outcome.index) ?? 0) + 1)
            }
          )
          expect([...settledTimes.values()].every(times => times === 1)).toBe(true)
          expect(settledTimes.size).toBe(tasks.length)
          for (const outcome of outcomes as Outcome<number>[]) {
            for (const need of outcome.blockedBy ?? []) {
              const needOutcome = outcomes[need.index] as Outcome<number>
              // A need skipped by the halt itself is no reason: the halt is.
              const skippedByHalt =
                needOutcome.status === TaskStatus.Skipped &&
                (needOutcome.blockedBy ?? []).length === 0
              expect(skippedByHalt).toBe(false)
              expect(need.status).toBe(needOutcome.status)
            }
          }
        }
      ),
      { numRuns: 300 }
    )
    expect(runs).toBe(300)
  })

  it('gives the halt’s reason to a task whose need the halt skipped, whatever the input order', async () => {
    for (const order of [
      ['lint', 'build', 'test'],
      ['lint', 'test', 'build']
    ]) {
      const needs = order.map(task => (task === 'test' ? [order.indexOf('build')] : []))
      const { outcomes } = await runTasks(
        order,
        async (task: string) => ({
          status: task === 'lint' ? TaskStatus.Failure : TaskStatus.Success,
          value: task
        }),
        {
          concurrency: 1,
          needs,
          name: index => order[index] as string,
          policies: [new FailFast(1, HaltMode.Cancel)]
        }
      )
      const test = outcomes[order.indexOf('test')]
      expect(test?.status).toBe(TaskStatus.Skipped)
      expect(test?.blockedBy).toBeUndefined()
      expect(test?.reason).toMatch(/^not started: fail-fast/)
    }
  })
})

describe('runTasks: items settled before the run', () => {
  const reused = (value: string) => ({ status: TaskStatus.Reused, value })

  it('lets the tasks that need a reused task run, and never starts the reused one', async () => {
    const started: string[] = []
    const settled: number[] = []
    const { outcomes } = await runTasks(
      ['build', 'test', 'deploy'],
      async (task: string) => {
        started.push(task)
        return { status: TaskStatus.Success, value: task }
      },
      {
        concurrency: 2,
        needs: [[], [0], [1]],
        name,
        settledBefore: new Map([[0, reused('build (earlier)')]]),
        onSettled: outcome => settled.push(outcome.index)
      }
    )
    expect(started).toEqual(['test', 'deploy'])
    expect(outcomes.map(outcome => outcome.status)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Success,
      TaskStatus.Success
    ])
    expect(outcomes[0]?.value).toBe('build (earlier)')
    expect(outcomes[0]?.slot).toBeUndefined()
    // Observers see the reused task first, as every task gets exactly one outcome.
    expect(settled).toEqual([0, 1, 2])
  })

  it.each([TaskStatus.Success, TaskStatus.Failure])(
    'keeps a reused task reused, never started, when a task it needs runs again (%s)',
    async status => {
      const started: string[] = []
      const { outcomes } = await runTasks(
        ['build', 'test'],
        async (task: string) => {
          started.push(task)
          return { status, value: task }
        },
        { concurrency: 1, needs: [[], [0]], name, settledBefore: new Map([[1, reused('test')]]) }
      )
      expect(started).toEqual(['build'])
      expect(outcomes.map(outcome => outcome.status)).toEqual([status, TaskStatus.Reused])
    }
  )

  it('never counts a reused task for fail-fast, and finishes when every task is reused', async () => {
    const policy = new FailFast(1, HaltMode.Cancel)
    const seen: TaskStatus[] = []
    const onSettled = policy.onSettled.bind(policy)
    policy.onSettled = (status, tally) => {
      seen.push(status)
      return onSettled(status, tally)
    }
    const all = await runTasks(
      ['a', 'b'],
      async () => ({ status: TaskStatus.Failure, value: '' }),
      {
        concurrency: 1,
        policies: [policy],
        settledBefore: new Map([
          [0, reused('a')],
          [1, reused('b')]
        ])
      }
    )
    expect(all.outcomes.map(outcome => outcome.status)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Reused
    ])
    expect(all.halt).toBeUndefined()
    expect(seen).toEqual([])
  })
})
