import { formatDuration } from '../model/duration.js'

/** Counts a progress line reports. */
export interface ProgressState {
  done: number
  total: number
  failed: number
  running: number
  elapsedMs: number
}

/**
 * One progress line: done/total, failures, running, elapsed and an estimate of the time left
 * from the pace so far (omitted until something has finished).
 */
export function progressLine(state: ProgressState): string {
  const { done, total, failed, running, elapsedMs } = state
  const left = total - done
  const estimate =
    done > 0 && left > 0 ? `, about ${formatDuration((elapsedMs / done) * left)} left` : ''
  return (
    `Progress: ${done}/${total} done, ${failed} not succeeded, ${running} running, ` +
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
