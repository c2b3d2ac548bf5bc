import { formatDuration } from '../model/duration.js'
import { type Item } from '../model/item.js'
import { itemLabel } from '../model/labels.js'
import { processEnd, type TaskRecord } from '../model/task-record.js'
import { STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'

/**
 * How the log names a task: `#` and its number in the whole input (also under `shard`, as the
 * job summary's `#` column), then its item or task name on one line.
 */
export function taskTitle(index: number, item: Item, max = 80): string {
  return `#${index + 1} ${itemLabel(item, max)}`
}

/**
 * The one line that says how a task ended, used as its group title:
 * `❌ #3 unit:web: failed (exit code 1) in 518ms`, `⏱️ #9 e2e: timed out (SIGTERM, exit code 143)
 * after 1.0s`, `✅ #5 api: succeeded in 404ms (2 attempts)`, `♻️ #3 lint: reused (succeeded in run
 * 123, attempt 1)`. A batch's `title` names the batch instead (batchName).
 */
export function taskHeadline(
  record: TaskRecord,
  title = taskTitle(record.index, record.item)
): string {
  const retried = record.attempts > 1 ? ` (${record.attempts} attempts)` : ''
  return `${STATUS_MARK[record.status]} ${title}: ${howItEnded(record)}${retried}`
}

/**
 * Status words, exit detail and duration: a time limit or a halt stopped it "after", else "in"; a
 * reused task says where it succeeded instead, as it did not run here.
 */
function howItEnded(record: TaskRecord): string {
  const words = STATUS_WORDS[record.status]
  const duration = formatDuration(record.durationMs)
  switch (record.status) {
    case TaskStatus.Skipped:
      return words
    case TaskStatus.Reused:
      return `${words}${reusedDetail(record)}`
    case TaskStatus.Success:
      return `${words} in ${duration}`
    case TaskStatus.Failure:
      return `${words}${exitDetail(record)} in ${duration}`
    case TaskStatus.TimedOut:
    case TaskStatus.Cancelled:
      return `${words}${exitDetail(record)} after ${duration}`
  }
}

/** Where a reused task succeeded, in brackets: `(succeeded in run 123, attempt 1)`. */
function reusedDetail({ reusedFrom }: TaskRecord): string {
  return reusedFrom === undefined
    ? ''
    : ` (succeeded in run ${reusedFrom.runId}, attempt ${reusedFrom.attempt})`
}

/** How the process ended, in brackets: its signal and exit code, or its exit code alone. */
function exitDetail(record: TaskRecord): string {
  const end = processEnd(record)
  return end === '' ? '' : ` (${end})`
}
