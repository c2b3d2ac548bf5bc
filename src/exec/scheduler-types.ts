import { type Halt } from '../model/halt.js'
import { type TaskStatus } from '../model/task-status.js'
import { type HaltPolicy } from './halt-policies.js'
import { type StartGate, type Waiting } from './start-gate.js'
import { type UnmetNeed } from './skip-reason.js'

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
