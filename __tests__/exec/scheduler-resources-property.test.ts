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
import { satisfiesNeeds, TaskStatus } from '../../src/model/task-status.js'
import { settleDown } from '../helpers/manual-tasks.js'
import { StartModel } from '../helpers/start-model.js'

interface PlannedTask {
  slots: number
  locks: string[]
  needs: number[]
  priority: number
  /** How long it runs, in steps of a clock the test moves. */
  duration: number
  fails: boolean
  /** How it settled before the run (reused, or failed in an earlier attempt), if it did. */
  settledBefore: TaskStatus | undefined
}

interface Plan {
  concurrency: number
  tasks: PlannedTask[]
  failFast: { limit: number; mode: HaltMode } | undefined
  /** A start gate that admits while fewer than this many run, retrying after 1 ms. */
  gateLimit: number | undefined
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
          fails: fc.integer({ min: 0, max: 6 }).map(roll => roll === 0),
          // About one in eight settled before the run: failed, succeeded or reused.
          settledBefore: fc
            .integer({ min: 0, max: 23 })
            .map(roll => [TaskStatus.Failure, TaskStatus.Success, TaskStatus.Reused][roll])
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
    ),
    gateLimit: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2, nil: undefined })
  })
) as fc.Arbitrary<Plan>

/** What the runs reached, to show the property tried each situation. */
interface Reached {
  /** Moments between events at which every invariant was checked. */
  momentsChecked: number
  lockWaits: number
  slotWaits: number
  bothAtOnce: number
  /** Set aside on a lock while the head task waits on slots or the gate: counted exactly. */
  lockWaitsBehindHead: number
  gateWaits: number
  haltsSkippingReady: number
  haltsWhileWaiting: number
  settledBeforeBlocking: number
  settledBeforeFreeing: number
  endsInOneTick: number
}

/** A running task as the test keeps it: when it ends and how to end it. */
interface Running {
  endsAt: number
  slots: readonly number[]
  end: (status: TaskStatus) => void
}

/**
 * Runs a plan on a clock the test moves: each step ends every running task due first, in the same
 * tick, and lets the scheduler react, then checks the invariants, so every moment of the run is
 * checked. A model of the start rules (StartModel) runs beside it: every start and every count
 * told to onWaiting must be the model's.
 */
async function check(plan: Plan, reached: Reached): Promise<void> {
  const { concurrency, tasks, gateLimit } = plan
  /** Started and not settled yet, as the scheduler counts them. */
  const running = new Map<number, Running>()
  const settled = new Map<number, Outcome<number>>()
  const given = new Map<number, readonly number[]>()
  let told: Waiting = { onLocks: 0, onSlots: 0, onGate: false }
  let failures = 0
  let now = 0
  const seen = {
    locks: false,
    slots: false,
    both: false,
    behindHead: false,
    gate: false,
    halt: false,
    haltWaiting: false,
    oneTick: false
  }

  const planned = (index: number): PlannedTask => tasks[index] as PlannedTask
  const before = (a: number, b: number): boolean =>
    planned(a).priority > planned(b).priority ||
    (planned(a).priority === planned(b).priority && a < b)
  const halted = (): boolean => plan.failFast !== undefined && failures >= plan.failFast.limit
  const gateAdmits =
    gateLimit === undefined ? undefined : (count: number): boolean => count < gateLimit
  const heldLocks = (): Set<string> =>
    new Set([...running.keys()].flatMap(index => planned(index).locks))
  const freeSlots = (): number =>
    concurrency - [...running.values()].reduce((sum, task) => sum + task.slots.length, 0)
  const conflicts = (index: number, held: Set<string>): boolean =>
    planned(index).locks.some(lock => held.has(lock))
  const statusOf = (index: number): TaskStatus | undefined =>
    settled.get(index)?.status ?? planned(index).settledBefore
  /** Items whose needs all succeeded and that neither started nor settled, in rank order. */
  const ready = (): number[] =>
    tasks
      .map((_, index) => index)
      .filter(
        index =>
          !given.has(index) &&
          statusOf(index) === undefined &&
          planned(index).needs.every(need => satisfiesNeeds(statusOf(need) ?? TaskStatus.Skipped))
      )
      .sort((a, b) => (before(a, b) ? -1 : 1))
  const model = new StartModel(concurrency, tasks, before, gateAdmits)

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
      let ended = false
      const end = (status: TaskStatus): void => {
        if (ended) return
        ended = true
        resolve({ status, value: index })
      }
      running.set(index, { endsAt: now + planTask.duration, slots, end })
      signal.addEventListener('abort', () => end(TaskStatus.Cancelled))
    })
  }

  /** As a task starts: the model's next start, its slots the lowest free ones, its locks free. */
  const checkStart = ({ index, slot, slots }: TaskContext): void => {
    const mine = planned(index)
    expect(halted()).toBe(false)
    expect(model.expected.shift()).toEqual({ index, slots: [...slots] })
    expect(mine.settledBefore).toBeUndefined()
    expect(mine.needs.every(need => satisfiesNeeds(statusOf(need) ?? TaskStatus.Skipped))).toBe(
      true
    )
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
    // The gate admitted it, unless nothing ran.
    if (gateAdmits !== undefined && running.size > 0) expect(gateAdmits(running.size)).toBe(true)
    // Every ready task ranked before it waits on a lock that a running task holds.
    for (const other of ready()) {
      if (other === index || !before(other, index)) continue
      expect({ other, waitsOnLock: conflicts(other, held) }).toEqual({ other, waitsOnLock: true })
    }
  }

  /** Between events: nothing that could start is left waiting, and onWaiting says exactly why. */
  const checkIdle = (): void => {
    reached.momentsChecked++
    if (halted()) return
    expect(model.expected).toEqual([])
    expect(told).toEqual({
      onLocks: model.setAside,
      onSlots: model.slotsWanted > 1 ? model.slotsWanted : 0,
      onGate: model.gateRefused
    })
    const held = heldLocks()
    const free = freeSlots()
    const candidates = ready()
    const onLocks = candidates.filter(index => conflicts(index, held)).length
    const first = candidates.find(index => !conflicts(index, held))
    if (first !== undefined) {
      // Work-conserving: the first task that could take its locks does not fit, or the gate refuses.
      const fits = planned(first).slots <= free
      const admitted = gateAdmits === undefined || running.size === 0 || gateAdmits(running.size)
      expect({ first, fits, admitted }).not.toEqual({ first, fits: true, admitted: true })
      expect(told.onSlots).toBe(!fits && planned(first).slots > 1 ? planned(first).slots : 0)
      expect(told.onGate).toBe(fits)
      // Every ready task ranked before it is set aside; some after it may be too.
      const ahead = candidates.filter(index => before(index, first)).length
      expect(told.onLocks).toBeGreaterThanOrEqual(ahead)
      seen.behindHead ||= told.onLocks > ahead
      seen.gate ||= fits
    } else {
      expect(told).toEqual({ onLocks, onSlots: 0, onGate: false })
    }
    const slotWait = first !== undefined && planned(first).slots > free && free > 0
    seen.locks ||= onLocks > 0
    seen.slots ||= slotWait
    seen.both ||= onLocks > 0 && slotWait
  }

  const readyForModel = (): number[] => ready().filter(index => !settled.has(index))
  model.launch(0, readyForModel())
  const result = runTasks(tasks, task, {
    concurrency,
    slots: tasks.map(each => each.slots),
    locks: tasks.map(each => each.locks),
    needs: tasks.map(each => each.needs),
    priorities: tasks.map(each => each.priority),
    settledBefore: new Map(
      tasks.flatMap((each, index) =>
        each.settledBefore === undefined
          ? []
          : [[index, { status: each.settledBefore, value: -1 }] as const]
      )
    ),
    gate:
      gateAdmits === undefined ? undefined : { admits: () => gateAdmits(running.size), retryMs: 1 },
    policies: plan.failFast ? [new FailFast(plan.failFast.limit, plan.failFast.mode)] : [],
    onWaiting: waiting => (told = waiting),
    onSettled: outcome => {
      expect(settled.has(outcome.index)).toBe(false)
      settled.set(outcome.index, outcome)
      // A halt skips what waits on locks or slots: onWaiting still says what it was.
      const waited = told.onLocks > 0 || told.onSlots > 0 || told.onGate
      seen.haltWaiting ||= waited && (outcome.reason ?? '').startsWith('not started')
      const mine = running.get(outcome.index)
      if (mine === undefined) return
      // A task that ran: the scheduler has released its slots and locks, and starts more next.
      running.delete(outcome.index)
      model.release(outcome.index, mine.slots)
      if (outcome.status !== TaskStatus.Success) failures++
      if (!halted()) model.launch(running.size, readyForModel())
    }
  })
  await settleDown()
  const ended = new Set<number>()
  while (running.size > 0) {
    checkIdle()
    // Every task due first ends in the same tick: the scheduler sees them one after another.
    const due = Math.min(
      ...[...running.entries()].filter(([index]) => !ended.has(index)).map(([, r]) => r.endsAt)
    )
    now = due
    const ending = [...running.entries()].filter(
      ([index, r]) => !ended.has(index) && r.endsAt === due
    )
    seen.oneTick ||= ending.length > 1
    for (const [index, each] of ending) {
      ended.add(index)
      each.end(planned(index).fails ? TaskStatus.Failure : TaskStatus.Success)
    }
    await settleDown()
    while (ending.some(([index]) => running.has(index))) await settleDown()
  }
  if (broken !== undefined) throw broken
  // Nothing runs: every item has its outcome now, none is left waiting.
  expect(settled.size).toBe(tasks.length)
  const { outcomes } = await result
  expect(outcomes.map(outcome => outcome.index)).toEqual(tasks.map((_, index) => index))
  outcomes.forEach((outcome, index) => {
    expect(outcome.slots).toEqual(given.get(index))
    expect(outcome.slot).toBe(given.get(index)?.[0])
    const needsBefore = planned(index).needs.filter(
      need => planned(need).settledBefore !== undefined
    )
    if (needsBefore.length > 0 && given.has(index)) reached.settledBeforeFreeing++
    if (outcome.blockedBy?.some(({ index }) => planned(index).settledBefore !== undefined)) {
      reached.settledBeforeBlocking++
    }
    if (planned(index).settledBefore !== undefined) {
      expect(outcome.status).toBe(planned(index).settledBefore)
      return
    }
    if (outcome.status !== TaskStatus.Skipped) return
    const reason = outcome.reason ?? ''
    expect(outcome.blockedBy !== undefined || reason.startsWith('not started: fail-fast')).toBe(
      true
    )
    const wasReady = planned(index).needs.every(need =>
      satisfiesNeeds(outcomes[need]?.status ?? TaskStatus.Skipped)
    )
    if (reason.startsWith('not started') && wasReady) seen.halt = true
  })
  if (seen.locks) reached.lockWaits++
  if (seen.slots) reached.slotWaits++
  if (seen.both) reached.bothAtOnce++
  if (seen.behindHead) reached.lockWaitsBehindHead++
  if (seen.gate) reached.gateWaits++
  if (seen.halt) reached.haltsSkippingReady++
  if (seen.haltWaiting) reached.haltsWhileWaiting++
  if (seen.oneTick) reached.endsInOneTick++
}

describe('runTasks with slots, locks, needs, priorities and a gate, for any plan', () => {
  it('gives every item one outcome, starts exactly what the start rules say, and says exactly what waits', async () => {
    const reached: Reached = {
      momentsChecked: 0,
      lockWaits: 0,
      slotWaits: 0,
      bothAtOnce: 0,
      lockWaitsBehindHead: 0,
      gateWaits: 0,
      haltsSkippingReady: 0,
      haltsWhileWaiting: 0,
      settledBeforeBlocking: 0,
      settledBeforeFreeing: 0,
      endsInOneTick: 0
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
    expect(reached.momentsChecked).toBeGreaterThan(2000)
    expect(reached.lockWaitsBehindHead).toBeGreaterThan(10)
    expect(reached.gateWaits).toBeGreaterThan(25)
    expect(reached.haltsSkippingReady).toBeGreaterThan(30)
    expect(reached.haltsWhileWaiting).toBeGreaterThan(20)
    expect(reached.settledBeforeBlocking).toBeGreaterThan(50)
    expect(reached.settledBeforeFreeing).toBeGreaterThan(80)
    expect(reached.endsInOneTick).toBeGreaterThan(25)
  })
})
