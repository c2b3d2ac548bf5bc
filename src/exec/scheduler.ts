import { setMaxListeners } from 'node:events'
import { Halt, HaltKind, HaltMode } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'
import { type HaltPolicy, type HaltRequest } from './halt-policies.js'
import { type StartGate, type Waiting } from './start-gate.js'
import { FreeSlots, ItemState, ItemStates, Needs, ReadyQueue } from './scheduler-queues.js'
import { type UnmetNeed, unmetNeedsReason } from './skip-reason.js'

/** What a running task knows about its place in the run. */
export interface TaskContext {
  /** 0-based position of the item in the input. */
  index: number
  /** Worker slot running it, 1..concurrency; no two running tasks share a slot. */
  slot: number
  /** Every slot it holds, lowest first (`slot` is the first): more than one under `slots`. */
  slots: readonly number[]
  /**
   * Aborted when the run halts and running tasks must stop. Its reason is a {@link Halt}: a task
   * stopped by a `timeout` halt reports `timed-out`, by any other `cancelled`.
   */
  signal: AbortSignal
}

/** What a task reports: how it ended, and whatever else the caller wants to keep. */
export interface TaskReport<R> {
  status: TaskStatus
  value: R
}

/** One item's outcome. Every item gets exactly one, in input order. */
export interface Outcome<R> {
  index: number
  status: TaskStatus
  /** The task's report value; undefined when the task was skipped or threw. */
  value?: R
  /** What the task threw, if it threw. */
  error?: unknown
  /** The slot it ran in; undefined when skipped. */
  slot?: number
  /** Every slot it held, lowest first; undefined when skipped. */
  slots?: readonly number[]
  /** Why a skipped task never ran. */
  reason?: string
  /** For a task skipped because of its needs: every need that did not succeed. */
  blockedBy?: readonly UnmetNeed[]
}

export interface SchedulerOptions<R> {
  /** How many tasks may run at once. */
  concurrency: number
  /** When to halt the run early (fail-fast, stop-on-success, total-timeout, cancellation). */
  policies?: readonly HaltPolicy[]
  /** For each item, the indexes of the items that must succeed before it starts. */
  needs?: readonly (readonly number[])[]
  /** How skip reasons name an item (`item 3` unless given). */
  name?: (index: number) => string
  /** For each item, its priority: among items ready to start, higher goes first; ties keep input order. */
  priorities?: readonly number[]
  /**
   * For each item, how many of the `concurrency` slots it holds while it runs (1 unless given;
   * each from 1 to `concurrency`, else runTasks throws).
   */
  slots?: readonly number[]
  /**
   * For each item, the names of the resources it holds exclusively while it runs: two items that
   * share a name never run at the same time.
   */
  locks?: readonly (readonly string[])[]
  /** Asked before each start whether one more task may start now (`memfree`); see StartGate. */
  gate?: StartGate
  /** Told what the queued items wait on, each time that may have changed. */
  onWaiting?: (waiting: Waiting) => void
  /** Called as a task starts, with its first slot and every slot it holds. */
  onStart?: (index: number, slot: number, slots: readonly number[]) => void
  /** Called as each item gets its outcome, skipped ones included. */
  onSettled?: (outcome: Outcome<R>) => void
  /**
   * Items whose outcome is known before the run (reused from an earlier one), by index: they
   * settle first, never start, never count for the halt policies, and meet the needs of others
   * as their status says.
   */
  settledBefore?: ReadonlyMap<number, TaskReport<R>>
}

/** How the run went as a whole, beyond each item's outcome. */
export interface SchedulerResult<R> {
  /** One outcome per item, in input order. */
  outcomes: Outcome<R>[]
  /** Why the run halted early, if it did. */
  halt: Halt | undefined
}

/**
 * Runs `task` once per item with at most `concurrency` running at once. A task's failure (a
 * report other than success, or a throw) never affects the others, except the items that need
 * it, which are skipped once all their needs have settled, the reason naming each need that did
 * not succeed. Items start as soon as their needs have succeeded and a slot is free, highest
 * priority first, then in input order. Halting starts nothing more: every item not yet
 * started settles as `skipped` at once, so no promise is left waiting; running tasks see their
 * signal aborted unless the halt drains. Items in `settledBefore` settle first and never run.
 */
export async function runTasks<T, R>(
  items: readonly T[],
  task: (item: T, context: TaskContext) => Promise<TaskReport<R>>,
  options: SchedulerOptions<R>
): Promise<SchedulerResult<R>> {
  const concurrency = options.concurrency
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError('Expected `concurrency` to be a number from 1 and up')
  }
  if (items.length === 0) return { outcomes: [], halt: undefined }
  return new Scheduler(items, task, options).run()
}

/** One run of runTasks: the ready queue, the free slots, the needs and each item's outcome. */
class Scheduler<T, R> {
  private readonly total: number
  private readonly outcomes: (Outcome<R> | undefined)[]
  private readonly states: ItemStates
  private readonly needs: Needs
  private readonly ready: ReadyQueue
  private readonly slots: FreeSlots
  private readonly stop = new AbortController()
  private readonly tally = { succeeded: 0, failed: 0 }
  private readonly pushReady = (index: number): void => {
    // Only a waiting item is queued: one settled already (before the run, say) never starts.
    if (this.states.queue(index)) this.ready.push(index)
  }
  private readonly skipBlocked = (index: number, unmet: readonly UnmetNeed[]): void => {
    if (this.states.is(index, ItemState.Waiting) && !this.settlingRest) {
      this.settle(this.blockedOutcome(index, unmet))
    }
  }
  /** Set while settleRest skips what is left, so those skips are not taken as needs not met. */
  private settlingRest = false
  private halt: Halt | undefined
  private settledCount = 0
  private running = 0
  private finish: () => void = () => undefined
  private fail: (error: unknown) => void = () => undefined
  /**
   * A throw while settling a task is a bug: nothing more starts, running tasks are stopped (their
   * processes with them), and the run rejects rather than going on unseen or waiting forever.
   */
  private readonly breakRun = (error: unknown): void => {
    this.halt ??= new Halt(HaltKind.Cancelled, 'the run broke off on an internal error')
    if (!this.stop.signal.aborted) this.stop.abort(this.halt)
    this.fail(error)
  }

  constructor(
    private readonly items: readonly T[],
    private readonly task: (item: T, context: TaskContext) => Promise<TaskReport<R>>,
    private readonly options: SchedulerOptions<R>
  ) {
    this.total = items.length
    this.outcomes = new Array<Outcome<R> | undefined>(this.total)
    this.states = new ItemStates(this.total)
    // Every running task listens on this one signal; more than 10 is expected, not a leak.
    setMaxListeners(0, this.stop.signal)
    this.needs = new Needs(this.total, options.needs)
    const priorities = options.priorities
    this.ready = new ReadyQueue(index => priorities?.[index] ?? 0)
    this.slots = new FreeSlots(options.concurrency)
  }

  /** Starts the policies and the first tasks, and resolves once every item has settled. */
  async run(): Promise<SchedulerResult<R>> {
    const finished = new Promise<void>((resolve, reject) => {
      this.finish = resolve
      this.fail = reject
    })
    const stops: (() => void)[] = []
    try {
      this.settleKnown()
      for (let index = 0; index < this.total; index++) {
        if (this.needs.isReady(index)) this.pushReady(index)
      }
      for (const policy of this.options.policies ?? []) {
        if (policy.start) stops.push(policy.start(request => this.haltRun(request)))
      }
      this.launch()
      await finished
    } finally {
      for (const stopPolicy of stops) stopPolicy()
    }
    return { outcomes: this.outcomes as Outcome<R>[], halt: this.halt }
  }

  /**
   * Settles the items known before the run, in input order. Every one is recorded before any is
   * announced, so that readying the dependents of one never queues another known one.
   */
  private settleKnown(): void {
    const known = [...(this.options.settledBefore ?? [])]
      .filter(([index]) => Number.isSafeInteger(index) && index >= 0 && index < this.total)
      .sort(([a], [b]) => a - b)
      .map(([index, { status, value }]): Outcome<R> => ({ index, status, value }))
    for (const outcome of known) this.record(outcome)
    for (const outcome of known) this.announce(outcome)
  }

  /** Starts ready items while slots are free and the run has not halted. */
  private launch(): void {
    while (this.halt === undefined && this.running < this.options.concurrency) {
      const index = this.ready.pop()
      if (index === undefined) break
      // Only a queued item starts: one settled while queued (skipped by a halt) stays as it is.
      if (!this.states.start(index)) continue
      this.running++
      const slot = this.slots.take()
      this.options.onStart?.(index, slot, [slot])
      this.runOne(index, slot).catch(this.breakRun)
    }
    // Nothing running and nothing ready, yet items left: they wait on each other in a cycle.
    // Callers check for cycles first; this only keeps the promise from hanging if one slips by.
    if (this.running === 0 && this.settledCount < this.total && this.halt === undefined) {
      this.settleRest('its needs wait on each other in a cycle')
    }
  }

  /** Runs one task in its slot, settles it, asks the policies, and starts what can start next. */
  private async runOne(index: number, slot: number): Promise<void> {
    let outcome: Outcome<R>
    try {
      const report = await this.task(this.items[index] as T, {
        index,
        slot,
        slots: [slot],
        signal: this.stop.signal
      })
      outcome = { index, status: report.status, value: report.value, slot, slots: [slot] }
    } catch (error) {
      outcome = { index, status: TaskStatus.Failure, error, slot, slots: [slot] }
    }
    this.running--
    this.slots.release(slot)
    this.count(outcome.status)
    this.settle(outcome)
    this.askPolicies(outcome.status, index)
    this.launch()
  }

  /** Adds a task that ran to the tally the halt policies read. */
  private count(status: TaskStatus): void {
    switch (status) {
      case TaskStatus.Success:
        this.tally.succeeded++
        return
      case TaskStatus.Failure:
      case TaskStatus.TimedOut:
      case TaskStatus.Cancelled:
        this.tally.failed++
        return
      case TaskStatus.Skipped:
      case TaskStatus.Reused:
        return
    }
  }

  /** Halts on the first policy that asks to, as long as the run has not halted yet. */
  private askPolicies(status: TaskStatus, index: number): void {
    for (const policy of this.options.policies ?? []) {
      if (this.halt !== undefined) return
      const request = policy.onSettled?.(status, this.tally, index)
      if (request !== undefined) this.haltRun(request)
    }
  }

  /** Records an item's one outcome, and readies or skips the items that need it. */
  private settle(outcome: Outcome<R>): void {
    this.record(outcome)
    this.announce(outcome)
  }

  /** Keeps an item's outcome; refuses (throws) a second one for the same item. */
  private record(outcome: Outcome<R>): void {
    this.states.settle(outcome.index)
    this.outcomes[outcome.index] = outcome
    this.settledCount++
  }

  /** Tells the observers of a recorded outcome, and readies or skips the items that need it. */
  private announce(outcome: Outcome<R>): void {
    this.options.onSettled?.(outcome)
    this.needs.settled(outcome.index, outcome.status, this.pushReady, this.skipBlocked)
    if (this.settledCount === this.total) this.finish()
  }

  /** The outcome of an item skipped because needs of it did not succeed, naming them. */
  private blockedOutcome(index: number, unmet: readonly UnmetNeed[]): Outcome<R> {
    const name = this.options.name ?? ((need: number) => `item ${need + 1}`)
    const blockedBy = [...unmet]
    return {
      index,
      status: TaskStatus.Skipped,
      reason: unmetNeedsReason(blockedBy, name),
      blockedBy
    }
  }

  /** Halts the run (the first reason stays), stopping running tasks unless it drains. */
  private haltRun({ reason, mode }: HaltRequest): void {
    if (this.halt === undefined) this.halt = reason
    if (mode === HaltMode.Cancel && !this.stop.signal.aborted) this.stop.abort(this.halt)
    // Nothing more starts: everything not started is skipped now, so no promise is left waiting.
    this.settleRest(`not started: ${this.halt.message}`)
  }

  /**
   * Settles every item not started and not settled yet as skipped: for the reason given, or, when
   * a need of it did not succeed, for that (the more specific reason).
   */
  private settleRest(reason: string): void {
    // Needs not met are read before any of these skips, which would otherwise count as such for
    // the items after them in input order only.
    const left = Array.from({ length: this.total }, (_, index) => index)
      .filter(
        index => this.states.is(index, ItemState.Waiting) || this.states.is(index, ItemState.Queued)
      )
      .map(index => ({ index, unmet: [...this.needs.unmetOf(index)] }))
    this.settlingRest = true
    try {
      for (const { index, unmet } of left) {
        this.settle(
          unmet.length > 0
            ? this.blockedOutcome(index, unmet)
            : { index, status: TaskStatus.Skipped, reason }
        )
      }
    } finally {
      this.settlingRest = false
    }
  }
}
