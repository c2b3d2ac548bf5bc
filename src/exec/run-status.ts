import { Halt, HaltKind } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'
import { type RunResult } from './process-runner.js'

/**
 * How a finished process maps to a task status. A process stopped because the run halted is
 * `cancelled`, or `timed-out` when the halt was the run's time budget running out.
 */
export function statusOf(result: RunResult, halt?: AbortSignal): TaskStatus {
  if (result.timedOut) return TaskStatus.TimedOut
  if (result.aborted) {
    const reason: unknown = halt?.reason
    return reason instanceof Halt && reason.kind === HaltKind.Timeout
      ? TaskStatus.TimedOut
      : TaskStatus.Cancelled
  }
  return result.exitCode === 0 ? TaskStatus.Success : TaskStatus.Failure
}
