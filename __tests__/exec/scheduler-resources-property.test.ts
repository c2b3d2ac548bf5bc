import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { FailFast } from '../../src/exec/halt-policies.js'
import {
  type Outcome,
  runTasks,
  type TaskContext,
  type TaskReport
} from '../../src/exec/scheduler.js'
import { type Waiting } from '../../src/exec/start-gate.js'
import { HaltMode } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { settleDown } from '../helpers/manual-tasks.js'

interface PlannedTask {
  slots: number
  locks: string[]
  needs: number[]
  priority: number
  /** How long it runs, in steps of a clock the test moves. */
  duration: number
  fails: boolean
}

interface Plan {
  concurrency: number
  tasks: PlannedTask[]
  failFast: { limit: number; mode: HaltMode } | undefined
}

/** Random runs: slots up to the concurrency, locks from a small set, needs on earlier tasks. */
const plans: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 4 }).chain(concurrency =>
  fc.record({
    concurrency: fc.constant(concurrency),
    tasks: fc
      .array(
        fc.record({
          slots: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: concurrency })),
          locks: fc.array(fc.constantFrom('db', 'port', 'cache'), { maxLength: 2 }),
          needs: fc.array(fc.nat(), { maxLength: 2 }),
          priority: fc.integer({ min: 0, max: 2 }),
          duration: fc.integer({ min: 1, max: 10 }),
          // About one in seven fails.
          fails: fc.integer({ min: 0, max: 6 }).map(roll => roll === 0)
        }),
        { minLength: 1, maxLength: 14 }
      )
      .map(tasks =>
        tasks.map((task, index) => ({
          ...task,
          needs: index === 0 ? [] : [...new Set(task.needs.map(need => need % index))]
        }))
      ),
    failFast: fc.option(
      fc.record({
        limit: fc.integer({ min: 1, max: 2 }),
        mode: fc.constantFrom(HaltMode.Cancel, HaltMode.Drain)
      }),
      { freq: 2, nil: undefined }
    )
  })
) as fc.Arbitrary<Plan>

/** What the runs reached, to show the property tried each situation. */
interface Reached {
  lockWaits: number
  slotWaits: number
  bothAtOnce: number
  haltsSkippingReady: number
  haltsWhileWaiting: number
}

/** A running task as the test keeps it: when it ends and how to end it. */
interface Running {
  endsAt: number
  slots: readonly number[]
  end: (status: TaskStatus) => void
}

/**
 * Runs a plan on a clock the test moves: each step ends the running task due first (lowest index
 * on a tie) and lets the scheduler react, then checks the invariants, so every moment of the run
 * is checked.
 */
async function check(plan: Plan, reached: Reached): Promise<void> {
  const { concurrency, tasks } = plan
  const running = new Map<number, Running>()
  const settled = new Map<number, Outcome<number>>()
  const given = new Map<number, readonly number[]>()
  let told: Waiting = { onLocks: 0, onSlots: 0, onGate: false }
  let failures = 0
  let now = 0
  const seen = { locks: false, slots: false, both: false, halt: false, haltWaiting: false }

  const planned = (index: number): PlannedTask => tasks[index] as PlannedTask
  const before = (a: number, b: number): boolean =>
    planned(a).priority > planned(b).priority ||
    (planned(a).priority === planned(b).priority && a < b)
  const halted = (): boolean => plan.failFast !== undefined && failures >= plan.failFast.limit
  const heldLocks = (): Set<string> =>
    new Set([...running.keys()].flatMap(index => planned(index).locks))
  const freeSlots = (): number =>
    concurrency - [...running.values()].reduce((sum, task) => sum + task.slots.length, 0)
  const conflicts = (index: number, held: Set<string>): boolean =>
    planned(index).locks.some(lock => held.has(lock))
  /** Items whose needs all succeeded and that neither started nor settled, in rank order. */
  const ready = (): number[] =>
    tasks
      .map((_, index) => index)
      .filter(
        index =>
          !given.has(index) &&
          !settled.has(index) &&
          planned(index).needs.every(need => settled.get(need)?.status === TaskStatus.Success)
      )
      .sort((a, b) => (before(a, b) ? -1 : 1))

  /** A failed check inside a task would only make the task fail: it is kept and thrown at the end. */
  let broken: unknown
  const task = (planTask: PlannedTask, context: TaskContext): Promise<TaskReport<number>> => {
    try {
      checkStart(context)
    } catch (error) {
      broken ??= error
    }
    const { index, slots, signal } = context
    given.set(index, [...slots])
    return new Promise(resolve => {
      const end = (status: TaskStatus): void => {
        if (!running.delete(index)) return
        resolve({ status, value: index })
      }
      running.set(index, { endsAt: now + planTask.duration, slots, end })
      signal.addEventListener('abort', () => end(TaskStatus.Cancelled))
    })
  }

  /** As a task starts: it may, its slots are the lowest free ones, its locks are free. */
  const checkStart = ({ index, slot, slots }: TaskContext): void => {
    const mine = planned(index)
    expect(halted()).toBe(false)
    expect(mine.needs.every(need => settled.get(need)?.status === TaskStatus.Success)).toBe(true)
    // Its slots: as many as it holds, distinct, lowest first, none held by another task.
    expect(slots).toHaveLength(mine.slots)
    expect(slot).toBe(slots[0])
    const taken = new Set([...running.values()].flatMap(other => [...other.slots]))
    slots.forEach((each, at) => {
      expect(each).toBeGreaterThanOrEqual(1)
      expect(each).toBeLessThanOrEqual(concurrency)
      expect(taken.has(each)).toBe(false)
      if (at > 0) expect(each).toBeGreaterThan(slots[at - 1] as number)
    })
    // The lowest free ones.
    const free = Array.from({ length: concurrency }, (_, i) => i + 1).filter(s => !taken.has(s))
    expect(slots).toEqual(free.slice(0, mine.slots))
    const held = heldLocks()
    expect(conflicts(index, held)).toBe(false)
    // Every ready task ranked before it waits on a lock that a running task holds.
    for (const other of ready()) {
      if (other === index || !before(other, index)) continue
      expect({ other, waitsOnLock: conflicts(other, held) }).toEqual({ other, waitsOnLock: true })
    }
  }

  /** Between events: nothing that could start has been left waiting, and onWaiting says why. */
  const checkIdle = (): void => {
    if (halted()) return
    const held = heldLocks()
    const free = freeSlots()
    const candidates = ready()
    const onLocks = candidates.filter(index => conflicts(index, held)).length
    const first = candidates.find(index => !conflicts(index, held))
    if (first !== undefined) {
      // Work-conserving: the first task that could take its locks does not fit (and blocks the rest).
      expect({ first, fits: planned(first).slots <= free }).toEqual({ first, fits: false })
      expect(told.onSlots).toBe(planned(first).slots > 1 ? planned(first).slots : 0)
      // Set aside: on a held lock, or behind a higher-ranked ready task that wants the same lock.
      const contended = candidates.filter(
        (index, at) =>
          conflicts(index, held) ||
          candidates.slice(0, at).some(other => conflicts(index, new Set(planned(other).locks)))
      )
      expect(told.onLocks).toBeLessThanOrEqual(contended.length)
    } else {
      expect(told).toEqual({ onLocks, onSlots: 0, onGate: false })
    }
    const slotWait = first !== undefined && planned(first).slots > 1 && free > 0
    seen.locks ||= onLocks > 0
    seen.slots ||= slotWait
    seen.both ||= onLocks > 0 && slotWait
  }

  const result = runTasks(tasks, task, {
    concurrency,
    slots: tasks.map(each => each.slots),
    locks: tasks.map(each => each.locks),
    needs: tasks.map(each => each.needs),
    priorities: tasks.map(each => each.priority),
    policies: plan.failFast ? [new FailFast(plan.failFast.limit, plan.failFast.mode)] : [],
    onWaiting: waiting => (told = waiting),
    onSettled: outcome => {
      expect(settled.has(outcome.index)).toBe(false)
      settled.set(outcome.index, outcome)
      // A halt skips what waits on locks or slots: onWaiting still says what it was.
      const waited = told.onLocks > 0 || told.onSlots > 0
      seen.haltWaiting ||= waited && (outcome.reason ?? '').startsWith('not started')
      const ran = outcome.status !== TaskStatus.Skipped
      if (ran && outcome.status !== TaskStatus.Success) failures++
    }
  })
  await settleDown()
  while (running.size > 0) {
    checkIdle()
    const [index, next] = [...running.entries()].reduce((due, entry) =>
      entry[1].endsAt < due[1].endsAt ? entry : due
    )
    now = next.endsAt
    next.end(planned(index).fails ? TaskStatus.Failure : TaskStatus.Success)
    await settleDown()
  }
  if (broken !== undefined) throw broken
  // Nothing runs: every item has its outcome now, none is left waiting.
  expect(settled.size).toBe(tasks.length)
  const { outcomes } = await result
  expect(outcomes.map(outcome => outcome.index)).toEqual(tasks.map((_, index) => index))
  outcomes.forEach((outcome, index) => {
    expect(outcome.slots).toEqual(given.get(index))
    expect(outcome.slot).toBe(given.get(index)?.[0])
    if (outcome.status !== TaskStatus.Skipped) return
    const reason = outcome.reason ?? ''
    expect(outcome.blockedBy !== undefined || reason.startsWith('not started: fail-fast')).toBe(
      true
    )
    const wasReady = planned(index).needs.every(
      need => outcomes[need]?.status === TaskStatus.Success
    )
    if (reason.startsWith('not started') && wasReady) seen.halt = true
  })
  if (seen.locks) reached.lockWaits++
  if (seen.slots) reached.slotWaits++
  if (seen.both) reached.bothAtOnce++
  if (seen.halt) reached.haltsSkippingReady++
  if (seen.haltWaiting) reached.haltsWhileWaiting++
}

describe('runTasks with slots, locks, needs and priorities, for any plan', () => {
  it('gives every item one outcome, never overfills slots or shares a lock, and leaves nothing startable waiting', async () => {
    const reached: Reached = {
      lockWaits: 0,
      slotWaits: 0,
      bothAtOnce: 0,
      haltsSkippingReady: 0,
      haltsWhileWaiting: 0
    }
    let cases = 0
    await fc.assert(
      fc.asyncProperty(plans, async plan => {
        cases++
        await check(plan, reached)
      }),
      { numRuns: 600, seed: 20261207 }
    )
    expect(cases).toBe(600)
    console.log(`scheduler resources property: ${cases} cases, reached ${JSON.stringify(reached)}`)
    expect(reached.lockWaits).toBeGreaterThan(100)
    expect(reached.slotWaits).toBeGreaterThan(100)
    expect(reached.bothAtOnce).toBeGreaterThan(30)
    expect(reached.haltsSkippingReady).toBeGreaterThan(30)
    expect(reached.haltsWhileWaiting).toBeGreaterThan(20)
  })
})
