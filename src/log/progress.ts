import { type Waiting } from '../exec/start-gate.js'
import { formatDuration } from '../model/duration.js'
import { formatBytes } from '../system/memory.js'

/** Under `memfree`: the limit and the memory available at the last reading, in bytes. */
export interface MemoryFigures {
  readonly memfree: number
  /** Undefined before the first reading. */
  readonly available: number | undefined
}

/** Counts a progress line reports. */
export interface ProgressState {
  /** Tasks of this run that are done; reused tasks are not among them. */
  done: number
  /** Tasks this run runs: every item but the reused ones. */
  total: number
  failed: number
  running: number
  elapsedMs: number
  /** Tasks reused from an earlier run: said apart, as they take no time. */
  reused?: number
  /**
   * Under `batch-size` the tasks are batches: how many of their items are done, of how many;
   * the line then says which count is which.
   */
  items?: { done: number; total: number }
  /** What tasks ready to start wait on besides free workers: locks, slots, free memory. */
  waiting?: Waiting
  /** Under `memfree`, its figures, said when tasks wait for memory. */
  memory?: MemoryFigures
}

/**
 * One progress line: done/total of the tasks that run (under batches, of the batches and then of
 * their items), failures, running, elapsed and an estimate of the time left from the pace so far
 * (omitted until something has finished), then what ready tasks wait on, if anything.
 */
export function progressLine(state: ProgressState): string {
  const { done, total, failed, running, elapsedMs, reused = 0, items } = state
  const left = total - done
  const estimate =
    done > 0 && left > 0 ? `, about ${formatDuration((elapsedMs / done) * left)} left` : ''
  const progress =
    items === undefined
      ? `${done}/${total} done${reused > 0 ? ` (${reused} more reused)` : ''}`
      : `${done}/${total} ${total === 1 ? 'batch' : 'batches'} done (${items.done}/${items.total} items` +
        `${reused > 0 ? `; ${reused} more ${reused === 1 ? 'item' : 'items'} reused` : ''})`
  return (
    `Progress: ${progress}, ${failed} not succeeded, ${running} running, ` +
    `${formatDuration(elapsedMs)} elapsed${estimate}${waitingClause(state)}`
  )
}

/**
 * What ready tasks wait on besides a free worker, each only when it holds them back:
 * `; waiting: 2 tasks on locks, the next task for 3 free slots, for memory (1.2 GiB available,
 * memfree is 2 GiB)`; '' when nothing does.
 */
function waitingClause({ waiting, memory }: ProgressState): string {
  if (waiting === undefined) return ''
  const { onLocks, onSlots, onGate } = waiting
  const reasons: string[] = []
  if (onLocks > 0) reasons.push(onLocks === 1 ? '1 task on a lock' : `${onLocks} tasks on locks`)
  // Never 1: a task that needs one slot waits for a worker, as any queued task does.
  if (onSlots > 0) reasons.push(`the next task for ${onSlots} free slots`)
  if (onGate) reasons.push(`for memory${memorySaid(memory)}`)
  return reasons.length === 0 ? '' : `; waiting: ${reasons.join(', ')}`
}

/** ` (1.2 GiB available, memfree is 2 GiB)`, without what is not known. */
function memorySaid(memory: MemoryFigures | undefined): string {
  if (memory === undefined) return ''
  const limit = `memfree is ${formatBytes(memory.memfree)}`
  if (memory.available === undefined) return ` (${limit})`
  return ` (${formatBytes(memory.available)} available, ${limit})`
}

/**
 * Prints a progress line every `intervalMs` while a run goes on; returns the function that stops
 * it. The timer does not keep the process alive.
 */
export function startProgress(
  intervalMs: number,
  state: () => ProgressState,
  print: (line: string) => void
): () => void {
  const timer = setInterval(() => print(progressLine(state())), intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
