import { setMaxListeners } from 'node:events'
import pLimit from 'p-limit'
import { TaskStatus } from './task-status.js'

/** What a running task knows about its place in the run. */
export interface TaskContext {
  /** 0-based position of the item in the input. */
  index: number
  /** Worker slot running it, 1..concurrency; no two running tasks share a slot. */
  slot: number
  /** Aborted when the run halts (fail-fast or cancellation): stop and report `cancelled`. */
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
}

export interface ExecutorOptions<R> {
  /** How many tasks may run at once. */
  concurrency: number
  /** Halt on the first task that does not succeed. */
  failFast?: boolean
  /** Aborting it halts the run from outside (e.g. on SIGTERM). */
  signal?: AbortSignal
  /** Called as a task starts. */
  onStart?: (index: number, slot: number) => void
  /** Called as each item gets its outcome, skipped ones included. */
  onSettled?: (outcome: Outcome<R>) => void
}

/**
 * Runs `task` once per item with at most `concurrency` running at once. A task's failure (a
 * report other than success, or a throw) never affects the others. Halting (fail-fast, or the
 * caller's signal) starts nothing more: queued items settle as `skipped` at once, so no promise
 * is left waiting, and running tasks see their signal aborted.
 */
export async function runTasks<T, R>(
  items: readonly T[],
  task: (item: T, context: TaskContext) => Promise<TaskReport<R>>,
  options: ExecutorOptions<R>
): Promise<Outcome<R>[]> {
  const limit = pLimit(options.concurrency)
  const halt = new AbortController()
  // Every running task listens on this one signal; more than 10 is expected, not a leak.
  setMaxListeners(0, halt.signal)
  const external = options.signal
  const stopOnExternal = (): void => halt.abort(external?.reason)
  if (external?.aborted) stopOnExternal()
  else external?.addEventListener('abort', stopOnExternal, { once: true })

  // The lowest free slot is taken, so slots read like GNU parallel's {%}.
  const freeSlots = Array.from({ length: options.concurrency }, (_, i) => options.concurrency - i)

  const settle = (outcome: Outcome<R>): Outcome<R> => {
    if (
      options.failFast &&
      outcome.status !== TaskStatus.Success &&
      outcome.status !== TaskStatus.Skipped
    ) {
      halt.abort(new Error('fail-fast'))
    }
    options.onSettled?.(outcome)
    return outcome
  }

  const runOne = async (item: T, index: number): Promise<Outcome<R>> => {
    if (halt.signal.aborted) return settle({ index, status: TaskStatus.Skipped })
    const slot = freeSlots.pop() as number
    options.onStart?.(index, slot)
    try {
      const report = await task(item, { index, slot, signal: halt.signal })
      return settle({ index, status: report.status, value: report.value, slot })
    } catch (error) {
      return settle({ index, status: TaskStatus.Failure, error, slot })
    } finally {
      releaseSlot(freeSlots, slot)
    }
  }

  try {
    return await Promise.all(items.map((item, index) => limit(runOne, item, index)))
  } finally {
    external?.removeEventListener('abort', stopOnExternal)
  }
}

/** Puts a slot back, keeping the free list in descending order so pop() gives the lowest. */
function releaseSlot(freeSlots: number[], slot: number): void {
  let at = freeSlots.length
  while (at > 0 && (freeSlots[at - 1] as number) < slot) at--
  freeSlots.splice(at, 0, slot)
}
