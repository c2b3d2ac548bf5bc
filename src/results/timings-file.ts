import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { itemText, type Item } from '../model/item.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { RECORDS_KEY } from './report-format.js'
import { createAfresh } from '../system/plain-files.js'

/** Known durations in milliseconds, by item text (or task name). */
export type Timings = Map<string, number>

/** Name of the timings file a run writes for the next one. */
const TIMINGS_FILE = 'timings.json'

/** The version of the timings file this code writes; reading does not look at it. */
const TIMINGS_VERSION = 1

/** Durations read from a previous run's file, and why none could be when so. */
export interface TimingsRead {
  timings: Timings
  problem?: string
}

/** Whether a task with this status ran its full length: skipped or cancelled tasks did not. */
function ranToAnEnd(status: unknown): boolean {
  return status === TaskStatus.Success || status === TaskStatus.Failure
}

/**
 * Reads durations from a previous run: its `timings-file` (`{"timings": {item: ms}}`) or its
 * `results-file` (`{"results": [{item, durationMs, status}]}`). A missing file is normal (the
 * first run, or a cache miss) and gives no timings; so does a file that is not one of these,
 * with the reason, since a stale cache should slow a run down, not fail it.
 */
export async function readTimings(path: string): Promise<TimingsRead> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return { timings: new Map(), problem: `no file at '${path}' (a first run or a cache miss)` }
  }
  try {
    return timingsFromJson(JSON.parse(text) as TimingsJson, path)
  } catch {
    // Also JSON that is null, or holds a null among the results: there is nothing to read there.
    return { timings: new Map(), problem: `'${path}' is not JSON` }
  }
}

/** A timings file or a results file as the timings input reads it: any field may be anything. */
interface TimingsJson {
  timings?: Record<string, unknown>
  // The record's keys as the results format writes them: a renamed field fails to compile here.
  [RECORDS_KEY]?: Partial<
    Record<Extract<keyof TaskRecord, 'item' | 'durationMs' | 'status'>, unknown>
  >[]
}

/**
 * The durations in a parsed timings or results file, each field taken when usable and passed
 * over otherwise: a file of any version still gives what it can. Throws on a null in place of
 * the file or of a result.
 */
function timingsFromJson(data: TimingsJson, path: string): TimingsRead {
  const timings: Timings = new Map()
  if (data.timings !== undefined && typeof data.timings === 'object' && data.timings !== null) {
    for (const [item, ms] of Object.entries(data.timings)) {
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) timings.set(item, ms)
    }
    return { timings }
  }
  const results = data[RECORDS_KEY]
  if (Array.isArray(results)) {
    for (const result of results) {
      if (!ranToAnEnd(result.status)) continue
      if (typeof result.durationMs !== 'number' || result.item === undefined) continue
      timings.set(itemText(result.item as Item), result.durationMs)
    }
    return { timings }
  }
  return { timings, problem: `'${path}' holds neither timings nor results` }
}

/** The previous timings, updated with every task of this run that ran to an end. */
function timingsAfter(previous: Timings, records: readonly TaskRecord[]): Timings {
  const timings = new Map(previous)
  for (const record of records) {
    if (ranToAnEnd(record.status)) timings.set(itemText(record.item), record.durationMs)
  }
  return timings
}

/** The JSON text of a timings file. */
function timingsFileText(timings: Timings): string {
  return JSON.stringify({ version: TIMINGS_VERSION, timings: Object.fromEntries(timings) }) + '\n'
}

/**
 * Writes the timings for the next run: the previous ones, updated with every task of this run
 * that ran to an end. Returns the path.
 */
export async function writeTimings(
  directory: string,
  previous: Timings,
  records: readonly TaskRecord[]
): Promise<string> {
  const path = join(directory, TIMINGS_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, timingsFileText(timingsAfter(previous, records)))
  return path
}
