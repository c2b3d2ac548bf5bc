import { type CommandRun, commandRuns } from '../model/batch-runs.js'
import { type RunReport } from '../model/run-report.js'
import { type Item } from '../model/item.js'
import { isFlaky, isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { count, counted } from '../model/words.js'

/** The public shape of one result, as the `results` output documents it. */
export type PublicResult = Pick<
  TaskRecord,
  | 'index'
  | 'item'
  | 'status'
  | 'exitCode'
  | 'batch'
  | 'signal'
  | 'durationMs'
  | 'attempts'
  | 'command'
  | 'outputs'
  | 'needs'
  | 'resolve'
  | 'flaky'
> & {
  /** The attempt a reused task succeeded in, its time as in the results file (ISO 8601). */
  reusedFrom?: { runId: number; attempt: number; at: string }
}

/** One record as the `results` output shows it. */
export function publicResult(record: TaskRecord): PublicResult {
  return {
    index: record.index,
    item: record.item,
    status: record.status,
    exitCode: record.exitCode,
    signal: record.signal,
    durationMs: record.durationMs,
    batch: record.batch,
    attempts: record.attempts,
    command: record.command,
    outputs: record.outputs,
    needs: record.needs,
    resolve: record.resolve,
    // As the `flaky` output counts: also for records of files written before the field.
    flaky: isFlaky(record) ? true : undefined,
    reusedFrom:
      record.reusedFrom === undefined
        ? undefined
        : { ...record.reusedFrom, at: new Date(record.reusedFrom.at).toISOString() }
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
    `Resolved ${count(outcomes.length - failed.length)} of ${counted(outcomes.length, 'review thread')} whose task succeeded` +
    (failed.length === 0
      ? '.'
      : `; ${count(failed.length)} could not be resolved: ${failed[0]?.error}`)
  )
}

/**
 * Sum of task times over wall time: how much faster than running the tasks one by one. A batch's
 * time counts once, not once per item (each of its records holds the whole batch's time).
 */
export function speedUp(report: RunReport): number {
  return speedUpOf(report, commandRuns(report.records, report))
}

/** {@link speedUp} over the report's commands, grouped already. */
function speedUpOf(report: RunReport, runs: readonly CommandRun[]): number {
  const busy = runs.reduce((sum, [run]) => sum + run.durationMs, 0)
  return report.durationMs > 0 ? busy / report.durationMs : 0
}

/** Least speed-up worth a mention: below it, wall time's overheads (starting, resolving) dominate. */
const NOTABLE_SPEED_UP = 1.1

/**
 * The speed-up when it says something about running in parallel: at least 2 commands ran, on more
 * than 1 worker, at least NOTABLE_SPEED_UP faster; else undefined (a single task or worker reads
 * as a slow-down, as wall time also holds what the run does around its tasks).
 */
export function notableSpeedUp(report: RunReport): number | undefined {
  const runs = commandRuns(report.records, report)
  const ran = runs.filter(([run]) => run.startedAt !== null).length
  const value = speedUpOf(report, runs)
  return ran >= 2 && report.workers > 1 && value >= NOTABLE_SPEED_UP ? value : undefined
}
