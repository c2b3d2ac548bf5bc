import { setTimeout as sleep } from 'node:timers/promises'
import { formatDuration } from '../model/duration.js'
import { STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { type RunResult } from './process-runner.js'
import { statusOf } from './run-status.js'

/** Longest wait between two attempts, however many retries. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000

/** How a task's process is run again after a failure or a timeout. */
export interface RetryOptions {
  /** How many more times a failed or timed-out attempt is run. */
  retries: number
  /** Delay before the first retry; it doubles with each further one. */
  baseDelayMs: number
  /** The run's halt: no retry after it, and none waited for. */
  signal: AbortSignal
  /** Source of randomness for the jitter (tests pass a fixed one). */
  random?: () => number
  /** Prints the line that says an attempt ended and when the next one starts. */
  announce: (line: string) => void
}

/** How the last attempt went, and how many there were. */
export interface Attempts {
  result: RunResult
  status: TaskStatus
  attempts: number
}

/** Runs `attempt` until it succeeds, is halted, or the retries run out. */
export async function withRetries(
  attempt: () => Promise<RunResult>,
  options: RetryOptions
): Promise<Attempts> {
  for (let attempts = 1; ; attempts++) {
    const result = await attempt()
    const status = statusOf(result, options.signal)
    if (!isRetryable(status) || attempts > options.retries) return { result, status, attempts }
    const delayMs = retryDelayMs(options.baseDelayMs, attempts, options.random)
    options.announce(retryLine(attempts, options.retries, status, result, delayMs))
    if (await sleepUnlessAborted(delayMs, options.signal)) {
      const halted = statusOf({ ...result, aborted: true, timedOut: false }, options.signal)
      return { result, status: halted, attempts }
    }
  }
}

/** Failures and timeouts are retried; a halted run is not. */
function isRetryable(status: TaskStatus): boolean {
  return status === TaskStatus.Failure || status === TaskStatus.TimedOut
}

/**
 * The wait before retry number `attempt` (1 for the first retry): the base doubled for each
 * earlier retry, capped, and scaled by a random factor in [0.5, 1) so that tasks that failed
 * together do not all come back at the same moment.
 */
export function retryDelayMs(
  baseMs: number,
  attempt: number,
  random: () => number = Math.random
): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1))
  return Math.round(exponential * (0.5 + random() / 2))
}

/** The line between two attempts, in the task's output: `── attempt 1 of 3 failed (exit code 1); …`. */
function retryLine(
  attempt: number,
  retries: number,
  status: TaskStatus,
  result: RunResult,
  delayMs: number
): string {
  return (
    `\n── attempt ${attempt} of ${retries + 1} ${endedWords(status, result)}; ` +
    `retrying in ${formatDuration(delayMs)} ──\n`
  )
}

/** How an attempt ended, as the retry line and a retried task's excerpt say it: `failed (SIGKILL)`. */
export function endedWords(
  status: TaskStatus,
  { exitCode, signal }: { exitCode: number | null; signal: string | null }
): string {
  const words = STATUS_WORDS[status]
  if (signal !== null) return `${words} (${signal})`
  return exitCode === null ? words : `${words} (exit code ${exitCode})`
}

/** Waits, unless the signal aborts first; true when it did. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, undefined, { signal }).then(
    () => false,
    () => true
  )
}
