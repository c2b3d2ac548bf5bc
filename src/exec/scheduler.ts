import { setMaxListeners } from 'node:events'
import { Halt, HaltKind, HaltMode } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'

/** What a running task knows about its place in the run. */
export interface TaskContext {
  /** 0-based position of the item in the input. */
  index: number
  /** Worker slot running it, 1..concurrency; no two running tasks share a slot. */
  slot: number
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
  /** Why a skipped task never ran. */
  reason?: string
  /** For a task skipped because of its needs: the index of the need that did not succeed. */
  blockedBy?: number
}

export interface ExecutorOptions<R> {
  /** How many tasks may run at once. */
  concurrency: number
  /** Halt once this many tasks have ended other than `success` (and not skipped); 0 or undefined: never. */
  maxFailures?: number
  /** Halt once this many tasks have succeeded; 0 or undefined: never. */
  stopAfterSuccesses?: number
  /** What a fail-fast or stop-on-success halt does to running tasks (default: cancel). */
  haltMode?: HaltMode
  /** Time budget for the whole run in ms: past it, running tasks are stopped (and report `timed-out`) and the rest skipped. */
  totalTimeoutMs?: number
  /** Aborting it halts the run from outside; its reason (a Halt, or anything) is passed on. Running tasks are always stopped. */
  signal?: AbortSignal
  /** For each item, the indexes of the items that must succeed before it starts. */
  needs?: readonly (readonly number[])[]
  /** For each item, its priority: among items ready to start, higher goes first; ties keep input order. */
  priorities?: readonly number[]
  /** Called as a task starts. */
  onStart?: (index: number, slot: number) => void
  /** Called as each item gets its outcome, skipped ones included. */
  onSettled?: (outcome: Outcome<R>) => void
}

/** How the run went as a whole, beyond each item's outcome. */
export interface ExecutorResult<R> {
  /** One outcome per item, in input order. */
  outcomes: Outcome<R>[]
  /** Why the run halted early, if it did. */
  halt: Halt | undefined
}

/**
 * Runs `task` once per item with at most `concurrency` running at once. A task's failure (a
 * report other than success, or a throw) never affects the others, except the items that need
 * it, which are skipped. Items start as soon as their needs have succeeded and a slot is free,
 * highest priority first, then in input order. Halting starts nothing more: every item not yet
 * started settles as `skipped` at once, so no promise is left waiting; running tasks see their
 * signal aborted unless the halt drains.
 */
export async function runTasks<T, R>(
  items: readonly T[],
  task: (item: T, context: TaskContext) => Promise<TaskReport<R>>,
  options: ExecutorOptions<R>
): Promise<ExecutorResult<R>> {
  const concurrency = options.concurrency
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError('Expected `concurrency` to be a number from 1 and up')
  }
  const total = items.length
  const outcomes: (Outcome<R> | undefined)[] = new Array(total)
  const stop = new AbortController()
  // Every running task listens on this one signal; more than 10 is expected, not a leak.
  setMaxListeners(0, stop.signal)
  let halt: Halt | undefined
  let failures = 0
  let successes = 0
  let settledCount = 0
  let running = 0
  const started = new Array<boolean>(total).fill(false)

  // Which items wait for which: dependents[i] lists the items that need i.
  const waitingOn = new Array<number>(total).fill(0)
  const dependents: number[][] = Array.from({ length: total }, () => [])
  options.needs?.forEach((needs, index) => {
    waitingOn[index] = needs.length
    for (const need of needs) dependents[need]?.push(index)
  })
  const priority = (index: number): number => options.priorities?.[index] ?? 0
  const ready = new ReadyQueue(priority)
  for (let index = 0; index < total; index++) if (waitingOn[index] === 0) ready.push(index)

  const freeSlots = Array.from({ length: concurrency }, (_, i) => concurrency - i)
  let finish: () => void = () => undefined
  const finished = new Promise<void>(resolve => (finish = resolve))

  const settle = (outcome: Outcome<R>): void => {
    outcomes[outcome.index] = outcome
    settledCount++
    options.onSettled?.(outcome)
    if (outcome.status === TaskStatus.Success) {
      for (const dependent of dependents[outcome.index] ?? []) {
        if (--(waitingOn[dependent] as number) === 0) ready.push(dependent)
      }
    } else {
      skipDependents(outcome)
    }
    if (settledCount === total) finish()
  }

  const skipDependents = (outcome: Outcome<R>): void => {
    for (const dependent of dependents[outcome.index] ?? []) {
      if (outcomes[dependent] !== undefined) continue
      const reason =
        outcome.status === TaskStatus.Skipped
          ? `needs item ${outcome.index + 1}, which was skipped`
          : `needs item ${outcome.index + 1}, which ended ${outcome.status}`
      settle({ index: dependent, status: TaskStatus.Skipped, reason, blockedBy: outcome.index })
    }
  }

  const haltRun = (reason: Halt, stopRunning: boolean): void => {
    if (halt === undefined) halt = reason
    if (stopRunning && !stop.signal.aborted) stop.abort(halt)
    // Nothing more starts: everything not started is skipped now, so no promise is left waiting.
    for (let index = 0; index < total; index++) {
      if (outcomes[index] === undefined && !started[index]) {
        settle({ index, status: TaskStatus.Skipped, reason: `not started: ${halt.message}` })
      }
    }
  }

  const launch = (): void => {
    while (halt === undefined && running < concurrency) {
      const index = ready.pop()
      if (index === undefined) break
      started[index] = true
      running++
      const slot = freeSlots.pop() as number
      options.onStart?.(index, slot)
      void runOne(index, slot)
    }
    // Nothing running and nothing ready, yet items left: they wait on each other in a cycle.
    // Callers check for cycles first; this only keeps the promise from hanging if one slips by.
    if (running === 0 && settledCount < total && halt === undefined) {
      for (let index = 0; index < total; index++) {
        if (outcomes[index] === undefined) {
          settle({
            index,
            status: TaskStatus.Skipped,
            reason: 'its needs wait on each other in a cycle'
          })
        }
      }
    }
  }

  const runOne = async (index: number, slot: number): Promise<void> => {
    let outcome: Outcome<R>
    try {
      const report = await task(items[index] as T, { index, slot, signal: stop.signal })
      outcome = { index, status: report.status, value: report.value, slot }
    } catch (error) {
      outcome = { index, status: TaskStatus.Failure, error, slot }
    }
    running--
    releaseSlot(freeSlots, slot)
    if (outcome.status === TaskStatus.Success) successes++
    else if (outcome.status !== TaskStatus.Skipped) failures++
    settle(outcome)
    const mode = options.haltMode ?? HaltMode.Cancel
    if (options.maxFailures && failures >= options.maxFailures && halt === undefined) {
      const what = `${failures} ${failures === 1 ? 'task' : 'tasks'} did not succeed`
      haltRun(new Halt(HaltKind.Failures, `fail-fast: ${what}`), mode === HaltMode.Cancel)
    } else if (
      options.stopAfterSuccesses &&
      successes >= options.stopAfterSuccesses &&
      halt === undefined
    ) {
      const what = `${successes} ${successes === 1 ? 'task' : 'tasks'} succeeded`
      haltRun(new Halt(HaltKind.Successes, `stop-on-success: ${what}`), mode === HaltMode.Cancel)
    }
    launch()
  }

  const external = options.signal
  const onExternalAbort = (): void => {
    const reason = external?.reason
    haltRun(reason instanceof Halt ? reason : new Halt(HaltKind.Cancelled, String(reason)), true)
  }
  if (total === 0) return { outcomes: [], halt: undefined }
  if (external?.aborted) onExternalAbort()
  else external?.addEventListener('abort', onExternalAbort, { once: true })
  const budget = options.totalTimeoutMs
  const timer =
    budget === undefined
      ? undefined
      : setTimeout(
          () => haltRun(new Halt(HaltKind.Timeout, `total-timeout of ${budget} ms ran out`), true),
          budget
        )
  try {
    launch()
    await finished
  } finally {
    clearTimeout(timer)
    external?.removeEventListener('abort', onExternalAbort)
  }
  return { outcomes: outcomes as Outcome<R>[], halt }
}

/**
 * Items ready to start, highest priority first, then lowest index. Without priorities items
 * become ready in index order, so pushes append and this is a plain FIFO.
 */
class ReadyQueue {
  private readonly queue: number[] = []
  private head = 0

  constructor(private readonly priority: (index: number) => number) {}

  push(index: number): void {
    const rank = this.priority(index)
    let at = this.queue.length
    while (at > this.head && this.before(index, rank, this.queue[at - 1] as number)) at--
    this.queue.splice(at, 0, index)
  }

  pop(): number | undefined {
    if (this.head >= this.queue.length) return undefined
    const index = this.queue[this.head++] as number
    // Drop the consumed front now and then, so a long run does not keep it all.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    return index
  }

  private before(index: number, rank: number, other: number): boolean {
    const otherRank = this.priority(other)
    return rank > otherRank || (rank === otherRank && index < other)
  }
}

/** Puts a slot back, keeping the free list in descending order so pop() gives the lowest. */
function releaseSlot(freeSlots: number[], slot: number): void {
  let at = freeSlots.length
  while (at > 0 && (freeSlots[at - 1] as number) < slot) at--
  freeSlots.splice(at, 0, slot)
}
