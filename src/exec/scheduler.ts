import { setMaxListeners } from 'node:events'
import { Halt, HaltKind, HaltMode } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'
import { type HaltRequest } from './halt-policies.js'
import { RunTally } from './run-tally.js'
import { ItemState, ItemStates, Needs, ReadyQueue } from './scheduler-queues.js'
import {
  type Outcome,
  type SchedulerOptions,
  type SchedulerResult,
  type TaskContext,
  type TaskReport
} from './scheduler-types.js'
import { type UnmetNeed, unmetNeedsReason } from './skip-reason.js'
import { StartRules } from './start-rules.js'

export type {
  Outcome,
  SchedulerOptions,
  SchedulerResult,
  TaskContext,
  TaskReport
} from './scheduler-types.js'

/**
 * Runs `task` once per item with at most `concurrency` running at once. A task's failure (a
 * report other than success, or a throw) never affects the others, except the items that need
 * it, which are skipped once all their needs have settled, the reason naming each need that did
 * not succeed. Items start as soon as their needs have succeeded and a slot is free, highest
 * priority first, then in input order; an item holds its `slots`, and one whose `locks` another
 * running item holds waits aside while the ones after it start (see StartRules). Halting starts
 * nothing more: every item not yet started settles as `skipped` at once, so no promise is left
 * waiting; running tasks see their signal aborted unless the halt drains. Items in
 * `settledBefore` settle first and never run. Throws a TypeError for slots or locks it cannot
 * take (the inputs refuse them first, with a message for the user).
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
  const scheduler = new Scheduler(items, task, options)
  if (items.length === 0) return { outcomes: [], halt: undefined }
  return scheduler.run()
}

/** One run of runTasks: the ready queue, the start rules, the needs and each item's outcome. */
class Scheduler<T, R> {
  private readonly total: number
  private readonly outcomes: (Outcome<R> | undefined)[]
  private readonly states: ItemStates
  private readonly needs: Needs
  private readonly ready: ReadyQueue
  private readonly starts: StartRules
  private readonly stop = new AbortController()
  private readonly tally = new RunTally()
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
    const isQueued = (index: number): boolean => this.states.is(index, ItemState.Queued)
    this.starts = new StartRules(this.total, this.ready, options, isQueued, () => {
      try {
        this.launch()
      } catch (error) {
        this.breakRun(error)
      }
    })
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
      this.starts.stop()
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

  /** Starts ready items while the start rules let them and the run has not halted. */
  private launch(): void {
    while (this.halt === undefined) {
      const start = this.starts.next(this.running)
      if (start === undefined) break
      const { index, slots } = start
      this.states.start(index)
      this.running++
      this.options.onStart?.(index, slots[0] as number, slots)
      this.runOne(index, slots).catch(this.breakRun)
    }
    this.starts.tellWaiting(this.halt !== undefined)
    // Nothing running and nothing ready, yet items left: they wait on each other in a cycle.
    // Callers check for cycles first; this only keeps the promise from hanging if one slips by.
    if (this.running === 0 && this.settledCount < this.total && this.halt === undefined) {
      this.settleRest('its needs wait on each other in a cycle')
    }
  }

  /** Runs one task in its slots, settles it, asks the policies, and starts what can start next. */
  private async runOne(index: number, slots: number[]): Promise<void> {
    const slot = slots[0] as number
    let outcome: Outcome<R>
    try {
      const report = await this.task(this.items[index] as T, {
        index,
        slot,
        slots,
        signal: this.stop.signal
      })
      outcome = { index, status: report.status, value: report.value, slot, slots }
    } catch (error) {
      outcome = { index, status: TaskStatus.Failure, error, slot, slots }
    }
    this.running--
    this.starts.release(index, slots)
    this.tally.count(outcome.status)
    this.settle(outcome)
    this.askPolicies(outcome.status, index)
    this.launch()
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
    this.starts.stop()
    this.settleRest(`not started: ${this.halt.message}`)
    this.starts.tellWaiting(true)
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
