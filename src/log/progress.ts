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
}

/**
 * One progress line: done/total of the tasks that run, failures, running, elapsed and an
 * estimate of the time left from the pace so far (omitted until something has finished).
 */
export function progressLine(state: ProgressState): string {
  const { done, total, failed, running, elapsedMs, reused = 0 } = state
  const left = total - done
  const estimate =
    done > 0 && left > 0 ? `, about ${formatDuration((elapsedMs / done) * left)} left` : ''
  const besides = reused > 0 ? ` (${reused} more reused)` : ''
  return (
    `Progress: ${done}/${total} done${besides}, ${failed} not succeeded, ${running} running, ` +
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
