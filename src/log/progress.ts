import { type Waiting } from '../exec/start-gate.js'
import { formatDuration } from '../model/duration.js'

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
}

/**
 * One progress line: done/total of the tasks that run (under batches, of the batches and then of
 * their items), failures, running, elapsed and an estimate of the time left from the pace so far
 * (omitted until something has finished).
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
    `${formatDuration(elapsedMs)} elapsed${estimate}`
  )
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
