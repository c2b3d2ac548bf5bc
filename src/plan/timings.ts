import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { itemText } from '../model/item.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** Known durations in milliseconds, by item text (or task name). */
export type Timings = Map<string, number>

/** Name of the timings file a run writes for the next one. */
export const TIMINGS_FILE = 'timings.json'

/**
 * Reads durations from a previous run: its `timings-file` (`{"timings": {item: ms}}`) or its
 * `results-file` (`{"results": [{item, durationMs, status}]}`). A missing file is normal (the
 * first run, or a cache miss) and gives no timings; so does a file that is not one of these,
 * with the reason, since a stale cache should slow a run down, not fail it.
 */
export async function readTimings(path: string): Promise<{ timings: Timings; problem?: string }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return { timings: new Map(), problem: `no file at '${path}' (a first run or a cache miss)` }
  }
  try {
    const data = JSON.parse(text) as {
      timings?: Record<string, unknown>
      results?: { item?: unknown; durationMs?: unknown; status?: unknown }[]
    }
    const timings: Timings = new Map()
    if (data.timings !== undefined && typeof data.timings === 'object' && data.timings !== null) {
      for (const [item, ms] of Object.entries(data.timings)) {
        if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) timings.set(item, ms)
      }
      return { timings }
    }
    if (Array.isArray(data.results)) {
      for (const result of data.results) {
        // Skipped or cancelled tasks did not run their full length.
        if (result.status !== TaskStatus.Success && result.status !== TaskStatus.Failure) continue
        if (typeof result.durationMs !== 'number' || result.item === undefined) continue
        timings.set(itemText(result.item as never), result.durationMs)
      }
      return { timings }
    }
    return { timings, problem: `'${path}' holds neither timings nor results` }
  } catch {
    return { timings: new Map(), problem: `'${path}' is not JSON` }
  }
}

/**
 * Priorities that start the longest known tasks first (longest-processing-time first), after any
 * explicit priority. Unknown tasks are taken to last as long as the average known one, and keep
 * their input order among equals; results stay in input order whatever the start order.
 */
export function prioritiesFromTimings(
  keys: readonly string[],
  explicit: readonly number[],
  timings: Timings
): number[] {
  const estimate = estimateDurations(keys, timings)
  const order = keys
    .map((_, index) => index)
    .sort(
      (a, b) =>
        (explicit[b] ?? 0) - (explicit[a] ?? 0) ||
        (estimate[b] as number) - (estimate[a] as number) ||
        a - b
    )
  // The executor starts higher priorities first and breaks ties by index: rank them so.
  const priorities = new Array<number>(keys.length)
  order.forEach((index, rank) => (priorities[index] = keys.length - rank))
  return priorities
}

/**
 * Each task's expected duration: its known one, or the average known one when it has none (all
 * equal when nothing is known).
 */
export function estimateDurations(keys: readonly string[], timings: Timings): number[] {
  const known = keys.map(key => timings.get(key)).filter((ms): ms is number => ms !== undefined)
  const average = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1
  return keys.map(key => timings.get(key) ?? average)
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
  const timings = new Map(previous)
  for (const record of records) {
    if (record.status === TaskStatus.Success || record.status === TaskStatus.Failure) {
      timings.set(itemText(record.item), record.durationMs)
    }
  }
  const path = join(directory, TIMINGS_FILE)
  await writeFile(path, JSON.stringify({ version: 1, timings: Object.fromEntries(timings) }) + '\n')
  return path
}
