import { type PreparedItem } from '../exec/command-task.js'
import {
  Cancellation,
  FailFast,
  StopOnSuccess,
  TotalTimeout,
  type BatchSizes,
  type HaltPolicy
} from '../exec/halt-policies.js'
import { type Outcome } from '../exec/scheduler.js'
import { type ExecutionSettings, type FailFastThreshold } from '../inputs/settings.js'
import { formatDuration } from '../model/duration.js'
import { type Halt, HaltKind } from '../model/halt.js'
import { itemLabel } from '../model/labels.js'
import { batchName } from '../model/batch-title.js'
import { type TaskRecord } from '../model/task-record.js'
import { formatBytes } from '../system/memory.js'
import { STATUS_WORDS } from '../model/task-status.js'

/**
 * The halt policies the execution settings ask for, in the order the scheduler asks them;
 * `batchSizes` when the tasks are batches, whose halts then say how many items they held.
 */
export function haltPolicies(
  settings: ExecutionSettings,
  maxFailures: number | undefined,
  cancellation: AbortSignal,
  batchSizes?: BatchSizes
): HaltPolicy[] {
  const policies: HaltPolicy[] = []
  if (maxFailures) policies.push(new FailFast(maxFailures, settings.failFastMode, batchSizes))
  if (settings.stopOnSuccess) {
    policies.push(new StopOnSuccess(settings.stopOnSuccess, settings.failFastMode, batchSizes))
  }
  policies.push(new Cancellation(cancellation))
  if (settings.totalTimeoutMs !== undefined)
    policies.push(new TotalTimeout(settings.totalTimeoutMs))
  return policies
}

/**
 * What a fail-fast percentage is of: the tasks that run, never the reused ones, which cannot
 * fail. Under `shard` it is of the whole input (GNU parallel's fail=N% of all jobs), scaled by
 * the share of this job's items that run, as the other jobs' reused items are not known here.
 */
export function failureBase(total: number, reused: number, itemCount?: number): number {
  const running = Math.max(0, total - reused)
  if (itemCount === undefined || total === 0) return running
  return Math.round((itemCount * running) / total)
}

/** The number of unsuccessful tasks that halts the run, or undefined for never. */
export function failureLimit(
  threshold: FailFastThreshold | undefined,
  total: number
): number | undefined {
  if (threshold === undefined) return undefined
  if ('count' in threshold) return threshold.count
  // GNU parallel's fail=N%: a percentage of the tasks that run (failureBase), so at least one.
  return Math.max(1, Math.ceil((total * threshold.percent) / 100))
}

/**
 * The limits part of the "Running N items" line; under `batches` the halts count batches and say
 * so (`after 2 batches`).
 */
export function describeLimits(
  settings: ExecutionSettings,
  maxFailures: number | undefined,
  batches = false
): string {
  const unit = (count: number): string => (batches ? ` ${count === 1 ? 'batch' : 'batches'}` : '')
  const failFast =
    maxFailures === undefined
      ? 'off'
      : `after ${maxFailures}${unit(maxFailures)}, ${settings.failFastMode}`
  const parts = [
    `fail-fast: ${failFast}`,
    `timeout: ${settings.timeoutMs === undefined ? 'none' : formatDuration(settings.timeoutMs)}`
  ]
  const { stopOnSuccess } = settings
  if (stopOnSuccess !== undefined)
    parts.push(`stop-on-success: ${stopOnSuccess}${unit(stopOnSuccess)}`)
  if (settings.totalTimeoutMs !== undefined) {
    parts.push(`total-timeout: ${formatDuration(settings.totalTimeoutMs)}`)
  }
  if (settings.retries > 0) parts.push(`retries: ${settings.retries}`)
  if (settings.memfree !== undefined) parts.push(`memfree: ${formatBytes(settings.memfree)}`)
  return parts.join(', ')
}

/** Why the run halted, for the report: after one failure, which task (or batch) it was. */
export function describeHalt(
  halt: Halt | undefined,
  maxFailures: number | undefined,
  firstFailure: Outcome<TaskRecord> | undefined,
  prepared: readonly PreparedItem[]
): string | null {
  if (halt === undefined) return null
  if (halt.kind === HaltKind.Failures && maxFailures === 1 && firstFailure !== undefined) {
    const failed = prepared[firstFailure.index] as PreparedItem
    const { batch } = failed
    const what =
      batch === undefined
        ? `task ${failed.index + 1} (${itemLabel(failed.item, 60)})`
        : `b${batchName(
            batch.number,
            batch.members.map(member => member.item)
          ).slice(1)}`
    return `fail-fast after ${what} ${STATUS_WORDS[firstFailure.status]}`
  }
  return halt.message
}
