import { type Timings } from '../results/timings-file.js'

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
  // The scheduler starts higher priorities first and breaks ties by index: rank them so.
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
