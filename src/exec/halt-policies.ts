import { formatDuration } from '../model/duration.js'
import { Halt, HaltKind, HaltMode } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'
import { isUnsuccessful } from '../model/task-record.js'

/** A halt a policy asks for: why, and whether running tasks are stopped or left to finish. */
export interface HaltRequest {
  reason: Halt
  mode: HaltMode
}

/** How many of the tasks that ran so far succeeded, and how many ended otherwise. */
export interface Tally {
  readonly succeeded: number
  readonly failed: number
}

/**
 * One reason to halt a run early. The scheduler asks `onSettled` as each task it ran ends (until
 * the run halts), and calls `start` once as the run starts; what `start` returns is called as
 * the run ends.
 */
export interface HaltPolicy {
  onSettled?(status: TaskStatus, tally: Tally, index: number): HaltRequest | undefined
  start?(halt: (request: HaltRequest) => void): () => void
}

/**
 * How many items each task holds, by its index, when tasks are batches of items (`batch-size`);
 * a halt then counts batches and says how many items they held.
 */
export type BatchSizes = (index: number) => number

/** Counts the items of the batches that ended one way, to say them next to the batches. */
class ItemTally {
  private items = 0

  constructor(private readonly sizes: BatchSizes) {}

  /** Adds the task's items when `counts`, and returns the items so far. */
  add(index: number, counts: boolean): number {
    if (counts) this.items += this.sizes(index)
    return this.items
  }
}

/** `2 tasks`, or under batches `2 batches` and, after the verb, `(4 items)`. */
function halted(count: number, verb: string, items: number | undefined): string {
  if (items === undefined) return `${count} ${count === 1 ? 'task' : 'tasks'} ${verb}`
  const batches = `${count} ${count === 1 ? 'batch' : 'batches'}`
  return `${batches} ${verb} (${items} ${items === 1 ? 'item' : 'items'})`
}

/** Halts once `limit` tasks (or batches) have ended other than `success` (fail-fast). */
export class FailFast implements HaltPolicy {
  private readonly items: ItemTally | undefined

  constructor(
    private readonly limit: number,
    private readonly mode: HaltMode = HaltMode.Cancel,
    sizes?: BatchSizes
  ) {
    this.items = sizes === undefined ? undefined : new ItemTally(sizes)
  }

  onSettled(status: TaskStatus, { failed }: Tally, index = 0): HaltRequest | undefined {
    const items = this.items?.add(index, isUnsuccessful(status))
    if (failed < this.limit) return undefined
    const what = halted(failed, 'did not succeed', items)
    return { reason: new Halt(HaltKind.Failures, `fail-fast: ${what}`), mode: this.mode }
  }
}

/** Halts once `count` tasks (or batches) have succeeded (stop-on-success). */
export class StopOnSuccess implements HaltPolicy {
  private readonly items: ItemTally | undefined

  constructor(
    private readonly count: number,
    private readonly mode: HaltMode = HaltMode.Cancel,
    sizes?: BatchSizes
  ) {
    this.items = sizes === undefined ? undefined : new ItemTally(sizes)
  }

  onSettled(status: TaskStatus, { succeeded }: Tally, index = 0): HaltRequest | undefined {
    const items = this.items?.add(index, status === TaskStatus.Success)
    if (succeeded < this.count) return undefined
    const what = halted(succeeded, 'succeeded', items)
    return { reason: new Halt(HaltKind.Successes, `stop-on-success: ${what}`), mode: this.mode }
  }
}

/** Halts once the run's time budget runs out; running tasks are stopped and report `timed-out`. */
export class TotalTimeout implements HaltPolicy {
  constructor(private readonly budgetMs: number) {}

  start(halt: (request: HaltRequest) => void): () => void {
    const reason = new Halt(
      HaltKind.Timeout,
      `total-timeout of ${formatDuration(this.budgetMs)} ran out`
    )
    const timer = setTimeout(() => halt({ reason, mode: HaltMode.Cancel }), this.budgetMs)
    return () => clearTimeout(timer)
  }
}

/** Halts when the caller's signal aborts (the runner's SIGTERM); running tasks are stopped. */
export class Cancellation implements HaltPolicy {
  constructor(private readonly signal: AbortSignal) {}

  start(halt: (request: HaltRequest) => void): () => void {
    const { signal } = this
    const onAbort = (): void => {
      const reason: unknown = signal.reason
      halt({
        reason: reason instanceof Halt ? reason : new Halt(HaltKind.Cancelled, String(reason)),
        mode: HaltMode.Cancel
      })
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    return () => signal.removeEventListener('abort', onAbort)
  }
}
