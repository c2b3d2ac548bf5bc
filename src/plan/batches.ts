import { type Resources } from '../inputs/resource-fields.js'
import { type BatchSize } from '../inputs/settings.js'
import { count, counted } from '../model/words.js'
import { assignShards } from './shard.js'

/**
 * The batches of `total` items (positions 0..total-1, the items that run, in input order): with a
 * number N, consecutive runs of up to N; with `auto`, as many batches as `workers` (at most one
 * per item), balanced by `estimates` (longest first onto the least-loaded batch) when they differ,
 * else (none given, or all equal) contiguous chunks whose sizes differ by at most one. Items keep
 * their input order inside a batch, and batches are ordered by their first item.
 */
export function formBatches(
  total: number,
  size: BatchSize,
  workers: number,
  estimates?: readonly number[]
): number[][] {
  if (total === 0) return []
  if (size !== 'auto') return chunks(total, Math.ceil(total / size), size)
  const count = Math.max(1, Math.min(workers, total))
  const known = estimates?.slice(0, total)
  // Durations that all tie tell nothing: LPT would deal the items round-robin, neighbours apart.
  if (known === undefined || known.every(estimate => estimate === known[0])) {
    return chunks(total, count)
  }
  const batchOf = assignShards(known, count)
  const groups = Array.from({ length: count }, (): number[] => [])
  batchOf.forEach((batch, position) => (groups[batch] as number[]).push(position))
  return inBatchOrder(groups.filter(group => group.length > 0))
}

/**
 * `total` positions in `count` contiguous chunks: of `size` each (the last shorter) when given,
 * else of sizes that differ by at most one, the larger first.
 */
function chunks(total: number, count: number, size?: number): number[][] {
  const result: number[][] = []
  let start = 0
  for (let chunk = 0; chunk < count; chunk++) {
    const length = size ?? Math.floor(total / count) + (chunk < total % count ? 1 : 0)
    const end = Math.min(total, start + length)
    result.push(Array.from({ length: end - start }, (_, offset) => start + offset))
    start = end
  }
  return result
}

/** Batches ordered by their first item (each already in input order). */
function inBatchOrder(groups: number[][]): number[][] {
  return groups
    .map(group => [...group].sort((a, b) => a - b))
    .sort((a, b) => (a[0] as number) - (b[0] as number))
}

/** Batches after splitting, and how many of the first were split. */
export interface SplitBatches {
  batches: number[][]
  /** How many batches were too long for one command line and were split. */
  split: number
}

/**
 * Halves every batch that `fits` refuses (the first half the larger, order kept) until each part
 * fits or holds one item, which stays as it is for the caller to refuse. The parts are ordered by
 * their first item, so they can be numbered as batches of their own.
 */
export function splitToFit(
  batches: readonly number[][],
  fits: (batch: readonly number[]) => boolean
): SplitBatches {
  let split = 0
  const parts: number[][] = []
  const halve = (batch: number[]): void => {
    if (batch.length === 1 || fits(batch)) {
      parts.push(batch)
      return
    }
    const middle = Math.ceil(batch.length / 2)
    halve(batch.slice(0, middle))
    halve(batch.slice(middle))
  }
  for (const batch of batches) {
    const before = parts.length
    halve([...batch])
    if (parts.length > before + 1) split++
  }
  return { batches: inBatchOrder(parts), split }
}

/**
 * The one line that says batches were split: `Split 2 batches that were too long for one command
 * line: 12 batches of up to 50 items.`; undefined when none was.
 */
export function describeSplit({ batches, split }: SplitBatches): string | undefined {
  if (split === 0) return undefined
  const largest = batches.reduce((most, batch) => Math.max(most, batch.length), 0)
  return (
    `Split ${counted(split, 'batch', 'batches')} that ${split === 1 ? 'was' : 'were'} too long ` +
    `for one command line: ${counted(batches.length, 'batch', 'batches')} of up to ` +
    `${counted(largest, 'item')}.`
  )
}

/**
 * Each batch's scheduler priority: the highest explicit priority of its items first, then its
 * estimated total, longest first (when durations are known), then batch order. Ranked so that
 * the scheduler, which starts higher priorities first, starts them in that order.
 */
export function batchPriorities(
  batches: readonly number[][],
  explicit: readonly number[],
  estimates?: readonly number[]
): number[] {
  const highest = batches.map(batch =>
    batch.reduce((most, position) => Math.max(most, explicit[position] ?? 0), -Infinity)
  )
  const totals = batches.map(batch =>
    estimates === undefined
      ? 0
      : batch.reduce((sum, position) => sum + (estimates[position] ?? 0), 0)
  )
  const order = batches
    .map((_, index) => index)
    .sort(
      (a, b) =>
        (highest[b] as number) - (highest[a] as number) ||
        (totals[b] as number) - (totals[a] as number) ||
        a - b
    )
  const priorities = new Array<number>(batches.length)
  order.forEach((index, rank) => (priorities[index] = batches.length - rank))
  return priorities
}

/** How the run line says the batches: `in 8 batches (auto)`, `in 8 batches of up to 50`. */
export function describeBatches(batches: number, size: BatchSize): string {
  const how = size === 'auto' ? ' (auto)' : ` of up to ${count(size)}`
  return `in ${counted(batches, 'batch', 'batches')}${how}`
}

/**
 * What a batch holds while its command runs: the most slots of its items, and every lock of
 * theirs, each once in order of first appearance; absent fields for one slot and no lock.
 */
export function batchResources(items: readonly Resources[]): Resources {
  let slots = 1
  const locks = new Set<string>()
  for (const item of items) {
    slots = Math.max(slots, item.slots ?? 1)
    for (const name of item.locks ?? []) locks.add(name)
  }
  return {
    ...(slots === 1 ? {} : { slots }),
    ...(locks.size === 0 ? {} : { locks: [...locks] })
  }
}
