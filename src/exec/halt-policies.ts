import { formatDuration } from '../model/duration.js'
import { Halt, HaltKind, HaltMode } from '../model/halt.js'
import { TaskStatus } from '../model/task-status.js'

/** A halt a policy asks for: why, and whether running tasks are stopped or left to finish. */
export interface HaltRequest {
  reason: Halt
  mode: HaltMode
}

/** How many of the tasks that ran so far succeeded, and how many ended otherwise. */
export interface Tally {
  readonly succeeded: number
  readonly failed: number
}

/**
 * One reason to halt a run early. The scheduler asks `onSettled` as each task it ran ends (until
 * the run halts), and calls `start` once as the run starts; what `start` returns is called as
 * the run ends.
 */
export interface HaltPolicy {
  onSettled?(status: TaskStatus, tally: Tally): HaltRequest | undefined
  start?(halt: (request: HaltRequest) => void): () => void
}

/** Halts once `limit` tasks have ended other than `success` (fail-fast). */
export class FailFast implements HaltPolicy {
  constructor(
    private readonly limit: number,
    private readonly mode: HaltMode = HaltMode.Cancel
  ) {}

  onSettled(_status: TaskStatus, { failed }: Tally): HaltRequest | undefined {
    if (failed < this.limit) return undefined
    const what = `${failed} ${failed === 1 ? 'task' : 'tasks'} did not succeed`
    return { reason: new Halt(HaltKind.Failures, `fail-fast: ${what}`), mode: this.mode }
  }
}

/** Halts once `count` tasks have succeeded (stop-on-success). */
export class StopOnSuccess implements HaltPolicy {
  constructor(
    private readonly count: number,
    private readonly mode: HaltMode = HaltMode.Cancel
  ) {}

  onSettled(_status: TaskStatus, { succeeded }: Tally): HaltRequest | undefined {
    if (succeeded < this.count) return undefined
    const what = `${succeeded} ${succeeded === 1 ? 'task' : 'tasks'} succeeded`
    return { reason: new Halt(HaltKind.Successes, `stop-on-success: ${what}`), mode: this.mode }
  }
}

/** Halts once the run's time budget runs out; running tasks are stopped and report `timed-out`. */
export class TotalTimeout implements HaltPolicy {
  constructor(private readonly budgetMs: number) {}

  start(halt: (request: HaltRequest) => void): () => void {
    const reason = new Halt(
      HaltKind.Timeout,
      `total-timeout of ${formatDuration(this.budgetMs)} ran out`
    )
    const timer = setTimeout(() => halt({ reason, mode: HaltMode.Cancel }), this.budgetMs)
    return () => clearTimeout(timer)
  }
}

/** Halts when the caller's signal aborts (the runner's SIGTERM); running tasks are stopped. */
export class Cancellation implements HaltPolicy {
  constructor(private readonly signal: AbortSignal) {}

  start(halt: (request: HaltRequest) => void): () => void {
    const { signal } = this
    const onAbort = (): void => {
      const reason: unknown = signal.reason
      halt({
        reason: reason instanceof Halt ? reason : new Halt(HaltKind.Cancelled, String(reason)),
        mode: HaltMode.Cancel
      })
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    return () => signal.removeEventListener('abort', onAbort)
  }
}
