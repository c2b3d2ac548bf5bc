import { type Item } from './item.js'
import { TaskStatus } from './task-status.js'

/** Everything known about one item's task once the run is over. */
export interface TaskRecord {
  /** 0-based position of the item in the input. */
  index: number
  /** The item as given. */
  item: Item
  /** How the task ended. */
  status: TaskStatus
  /** Exit code (128+n for a signal death), or null when no process ran or it could not start. */
  exitCode: number | null
  /** Name of the signal that ended the process, or null. */
  signal: string | null
  /** Time the task ran, in milliseconds (0 when skipped). */
  durationMs: number
  /**
   * Under `batch-size`, the number (from 1) of the batch whose one command ran this item: the
   * status, exit code, times, attempts and output are the batch's. Absent without batches.
   */
  batch?: number
  /** How many times the command was started. */
  attempts: number
  /** The command as rendered for this item. */
  command: string
  /** Worker slot it ran in (1..workers), or null when skipped; its first under `slots`. */
  slot: number | null
  /** Every worker slot it held, lowest first, when it held more than one (`slots`); else absent. */
  slots?: number[]
  /** The resources it held exclusively while it ran (`locks`); absent for none. */
  locks?: string[]
  /** When it started and ended (epoch milliseconds), or null when skipped. */
  startedAt: number | null
  endedAt: number | null
  /** The last lines it printed. */
  outputTail: string
  /** Why it could not start, or what went wrong around it, if anything. */
  error: string | null
  /** What the task wrote to its own GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** What the task wrote to its own GITHUB_STEP_SUMMARY (Markdown), or ''. */
  summary: string
  /** Names of the tasks it needed (named tasks only). */
  needs?: string[]
  /** Why it never ran, when skipped. */
  skipReason?: string
  /** When skipped because needs of it did not succeed: their indexes (as `index`); else absent. */
  blockedBy?: number[]
  /** Whether its review thread was resolved (`resolve-threads: on-success`, succeeded tasks). */
  resolve?: ResolveOutcome
  /** True when it failed or timed out and then succeeded on a retry in this run; else absent. */
  flaky?: true
  /** When reused: the run attempt it succeeded in, whose result stands for it; else absent. */
  reusedFrom?: ReusedFrom
  /** SHA-256 of what it runs (shell, rendered command, a task's env and directory), when known. */
  commandDigest?: string
  /** SHA-256 of the files its `sources` match (paths and contents), when it has sources. */
  sourcesDigest?: string
}

/** The run attempt whose success a reused task stands on. */
export interface ReusedFrom {
  /** The workflow run's id (`GITHUB_RUN_ID`). */
  runId: number
  /** Its attempt (`GITHUB_RUN_ATTEMPT`), from 1. */
  attempt: number
  /** When that attempt's task ended (epoch milliseconds). */
  at: number
}

/** The skip reason of every task of a dry run. */
export const DRY_RUN_REASON = 'dry run'

/**
 * How a task's process ended, as the log and the summary say it: `SIGTERM, exit code 143`,
 * `exit code 1`, `SIGKILL`, or '' when neither is known. The signal is any text a results file held.
 */
export function processEnd({ exitCode, signal }: Pick<TaskRecord, 'exitCode' | 'signal'>): string {
  const code = exitCode === null ? '' : `exit code ${exitCode}`
  return signal === null ? code : [signal, code].filter(part => part !== '').join(', ')
}

/**
 * Whether a task of this status ran in this run: it has a duration worth showing and a place on
 * the timeline. A skipped task never started; a reused one stands on an earlier run's success.
 */
export function ranInThisRun(status: TaskStatus): boolean {
  switch (status) {
    case TaskStatus.Success:
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
    case TaskStatus.Cancelled:
      return true
    case TaskStatus.Skipped:
    case TaskStatus.Reused:
      return false
  }
}

/**
 * Whether a task is flaky in this run: it failed or timed out, then succeeded on a retry. The
 * same rule as a record's `flaky` field, read from its status and attempts so that results files
 * written before the field existed say it too.
 */
export function isFlaky(record: Pick<TaskRecord, 'status' | 'attempts'>): boolean {
  switch (record.status) {
    case TaskStatus.Success:
      return record.attempts > 1
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
    case TaskStatus.Cancelled:
    case TaskStatus.Skipped:
    case TaskStatus.Reused:
      return false
  }
}

/** True for the statuses that fail the step. */
export function isUnsuccessful(status: TaskStatus): boolean {
  switch (status) {
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
    case TaskStatus.Cancelled:
      return true
    case TaskStatus.Success:
    case TaskStatus.Skipped:
    case TaskStatus.Reused:
      return false
  }
}

/** What a resolve did. */
export interface ResolveOutcome {
  /** True only when GitHub says the thread is now resolved. */
  resolved: boolean
  /** Link to the reply, when one was posted. */
  commentUrl?: string
  /** Why the reply or the resolve failed. */
  error?: string
}
