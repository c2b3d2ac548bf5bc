import { type HaltKind } from './executor.js'
import { type Item } from './item.js'
import { type ShardInfo } from './shard.js'
import { isUnsuccessful, type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'

/** How many tasks ended each way. */
export interface StatusCounts {
  total: number
  succeeded: number
  failed: number
  timedOut: number
  cancelled: number
  skipped: number
}

/** A finished run: every item's record in input order, and how the run went as a whole. */
export interface RunReport {
  records: TaskRecord[]
  counts: StatusCounts
  /** Wall time of the whole run, in milliseconds. */
  durationMs: number
  /** How many tasks could run at once. */
  workers: number
  /** The shell the commands ran in. */
  shell: string
  /** Why the run halted early, if it did: fail-fast, stop-on-success, total-timeout, or a signal from the runner. */
  haltReason: string | null
  /** What kind of halt it was, if any. */
  haltKind: HaltKind | null
  /** This job's share of the items, under `shard`. */
  shard?: ShardInfo
  /** Where the results came from, when they were merged from shards' results files. */
  merged?: MergeInfo
}

/** The results files a merged report was built from. */
export interface MergeInfo {
  /** How many results files were merged. */
  files: number
  /** How many shards the run was split into, when the files came from sharded runs. */
  shards: number | null
  /** Shards with no results file: their items have no result. */
  missingShards: number[]
  /**
   * Why the merge is incomplete or not to be trusted, each naming its shard or file: missing
   * shards, files that are not valid or not one run's shards, records that do not match the split
   * (missing, twice, foreign, or for another item). Any of them fails the step.
   */
  problems: string[]
}

/** The public shape of one result, as the `results` output documents it. */
export type PublicResult = Pick<
  TaskRecord,
  | 'index'
  | 'item'
  | 'status'
  | 'exitCode'
  | 'signal'
  | 'durationMs'
  | 'attempts'
  | 'command'
  | 'outputs'
  | 'needs'
  | 'resolve'
>

export function countStatuses(records: readonly TaskRecord[]): StatusCounts {
  const counts: StatusCounts = {
    total: records.length,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    cancelled: 0,
    skipped: 0
  }
  for (const { status } of records) {
    if (status === TaskStatus.Success) counts.succeeded++
    else if (status === TaskStatus.Failure) counts.failed++
    else if (status === TaskStatus.TimedOut) counts.timedOut++
    else if (status === TaskStatus.Cancelled) counts.cancelled++
    else counts.skipped++
  }
  return counts
}

export function publicResult(record: TaskRecord): PublicResult {
  return {
    index: record.index,
    item: record.item,
    status: record.status,
    exitCode: record.exitCode,
    signal: record.signal,
    durationMs: record.durationMs,
    attempts: record.attempts,
    command: record.command,
    outputs: record.outputs,
    needs: record.needs,
    resolve: record.resolve
  }
}

/**
 * A JSON array of as many of `values` as fit in `maxBytes`, in order, and whether any were left
 * out. GitHub keeps at most 1 MB of outputs per job, so a large run's lists must be cut.
 */
export function jsonArrayWithin(
  values: readonly unknown[],
  maxBytes: number
): { json: string; truncated: boolean } {
  const parts: string[] = []
  let bytes = 2
  for (const value of values) {
    const part = JSON.stringify(value)
    bytes += Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0)
    if (bytes > maxBytes) return { json: `[${parts.join(',')}]`, truncated: true }
    parts.push(part)
  }
  return { json: `[${parts.join(',')}]`, truncated: false }
}

/** The items whose task failed, timed out or was cancelled, ready to feed back as `items`. */
export function failedItems(records: readonly TaskRecord[]): Item[] {
  return records.filter(record => isUnsuccessful(record.status)).map(record => record.item)
}

/** How resolving review threads went; undefined when no thread was to be resolved. */
export function describeResolves(records: readonly TaskRecord[]): string | undefined {
  const outcomes = records.flatMap(record => (record.resolve ? [record.resolve] : []))
  if (outcomes.length === 0) return undefined
  const failed = outcomes.filter(outcome => !outcome.resolved)
  return (
    `Resolved ${outcomes.length - failed.length} of ${outcomes.length} review threads whose task succeeded` +
    (failed.length === 0 ? '.' : `; ${failed.length} could not be resolved: ${failed[0]?.error}`)
  )
}

/** Sum of task times over wall time: how much faster than running the tasks one by one. */
export function speedUp(report: RunReport): number {
  const busy = report.records.reduce((sum, record) => sum + record.durationMs, 0)
  return report.durationMs > 0 ? busy / report.durationMs : 0
}
