import { join } from 'node:path'
import { itemShares } from '../model/batch-runs.js'
import { itemText } from '../model/item.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { createAfresh } from '../system/plain-files.js'

/**
 * Known durations in milliseconds, by item text (or task name). The `timings-file` output, which
 * the history file supersedes: a timings file is read as history (results/history-file.ts).
 */
export type Timings = Map<string, number>

/** Name of the timings file a run writes for the next one. */
const TIMINGS_FILE = 'timings.json'

/** The version of the timings file this code writes; reading does not look at it. */
const TIMINGS_VERSION = 1

/** Whether a task with this status ran its full length: skipped or cancelled tasks did not. */
function ranToAnEnd(status: unknown): boolean {
  return status === TaskStatus.Success || status === TaskStatus.Failure
}

/**
 * The previous timings, updated with every task of this run that ran to an end; an item of a
 * batch with its share of the batch's time, in proportion to its members' previous timings when
 * all are known (evenly otherwise).
 */
function timingsAfter(
  previous: Timings,
  records: readonly TaskRecord[],
  report: Partial<Pick<RunReport, 'merged' | 'records'>>
): Timings {
  const timings = new Map(previous)
  const share = itemShares(records, report, record => previous.get(itemText(record.item)))
  for (const record of records) {
    if (ranToAnEnd(record.status)) timings.set(itemText(record.item), share(record))
  }
  return timings
}

/** The JSON text of a timings file. */
function timingsFileText(timings: Timings): string {
  return JSON.stringify({ version: TIMINGS_VERSION, timings: Object.fromEntries(timings) }) + '\n'
}

/**
 * Writes the timings for the next run: the previous ones, updated with every task of this run
 * that ran to an end (of `report`, which tells a merge's batches apart). Returns the path.
 */
export async function writeTimings(
  directory: string,
  previous: Timings,
  records: readonly TaskRecord[],
  report: Partial<Pick<RunReport, 'merged' | 'records'>> = {}
): Promise<string> {
  const path = join(directory, TIMINGS_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, timingsFileText(timingsAfter(previous, records, report)))
  return path
}
