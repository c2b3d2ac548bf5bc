/** How a task ended. */
export enum TaskStatus {
  /** The command exited with code 0. */
  Success = 'success',
  /** The command exited non-zero, was killed by a signal from elsewhere, or could not start. */
  Failure = 'failure',
  /** The command ran past its time limit and was stopped. */
  TimedOut = 'timed-out',
  /** The command was stopped because the run was halted (fail-fast or cancellation). */
  Cancelled = 'cancelled',
  /** The command never started: the run was halted first, or a task it needs did not succeed. */
  Skipped = 'skipped',
  /** Not run: it succeeded in an earlier attempt or run (`skip-passed`), and that result stands. */
  Reused = 'reused'
}

/** The mark that shows each status at a glance, in the log and in the job summary. */
export const STATUS_MARK: Record<TaskStatus, string> = {
  [TaskStatus.Success]: '✅',
  [TaskStatus.Failure]: '❌',
  [TaskStatus.TimedOut]: '⏱️',
  [TaskStatus.Cancelled]: '⛔',
  [TaskStatus.Skipped]: '⏭️',
  [TaskStatus.Reused]: '♻️'
}

/** Each status in plain English, as the log and the job summary say it ("failed", not "failure"). */
export const STATUS_WORDS: Record<TaskStatus, string> = {
  [TaskStatus.Success]: 'succeeded',
  [TaskStatus.Failure]: 'failed',
  [TaskStatus.TimedOut]: 'timed out',
  [TaskStatus.Cancelled]: 'cancelled',
  [TaskStatus.Skipped]: 'skipped',
  [TaskStatus.Reused]: 'reused'
}

/** Whether a task that ended so lets the tasks that need it run: it succeeded, now or before. */
export function satisfiesNeeds(status: TaskStatus): boolean {
  switch (status) {
    case TaskStatus.Success:
    case TaskStatus.Reused:
      return true
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
    case TaskStatus.Cancelled:
    case TaskStatus.Skipped:
      return false
  }
}
