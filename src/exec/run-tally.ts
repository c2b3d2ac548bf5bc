import { TaskStatus } from '../model/task-status.js'
import { type Tally } from './halt-policies.js'

/** How many tasks that ran so far succeeded and how many did not, as halt policies read it. */
export class RunTally implements Tally {
  succeeded = 0
  failed = 0

  /** Adds a task that ran; skipped and reused items are not counted. */
  count(status: TaskStatus): void {
    switch (status) {
      case TaskStatus.Success:
        this.succeeded++
        return
      case TaskStatus.Failure:
      case TaskStatus.TimedOut:
      case TaskStatus.Cancelled:
        this.failed++
        return
      case TaskStatus.Skipped:
      case TaskStatus.Reused:
        return
    }
  }
}
