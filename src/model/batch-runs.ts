import { batchName } from './batch-title.js'
import { itemLabel } from './labels.js'
import { type MergeInfo, type RunReport } from './run-report.js'
import { type TaskRecord } from './task-record.js'

/**
 * The records of one command: a batch's members in record order (they share its status, exit,
 * times, slot, attempts and output), or one record without a batch.
 */
export type CommandRun = readonly [TaskRecord, ...TaskRecord[]]

/** Longest name of a batch. */
const BATCH_NAME_CHARS = 120

/**
 * The file of a merged report a worker slot belongs to, from 0: a merge numbers each file's slots
 * after the previous files' (`slotsPerFile`), so a slot names its file. Without files, 0.
 */
export function fileOfSlot(slotsPerFile: readonly number[]): (slot: number) => number {
  let last = 0
  const lastSlots = slotsPerFile.map(slots => (last += slots))
  return slot => {
    let [low, high] = [0, lastSlots.length]
    while (low < high) {
      const middle = (low + high) >> 1
      if ((lastSlots[middle] as number) < slot) low = middle + 1
      else high = middle
    }
    return low
  }
}

/** What a batch key is taken from: the merge's files and the records they hold, in order. */
export interface BatchedReport {
  merged?: MergeInfo
  records: readonly Pick<TaskRecord, 'index'>[]
}

/** What tells a record's batch: its number, slot and item number. */
export type BatchedRecord = Pick<TaskRecord, 'batch' | 'slot' | 'index'>

/**
 * The key of the command a record belongs to, or undefined for a record without a batch. Batch
 * numbers restart in each file a merge read, so in a merged report a batch is known by its file
 * (`recordFiles`, by item number) and number. A merge written before `recordFiles` tells the file
 * by the slot; a record there that never ran is known by its batch number alone.
 */
export function batchKey(report: BatchedReport): (record: BatchedRecord) => string | undefined {
  if (report.merged === undefined) {
    return record => (record.batch === undefined ? undefined : String(record.batch))
  }
  const fileOf = mergedFileOf(report.merged, report.records)
  return record =>
    record.batch === undefined ? undefined : `${fileOf(record) ?? '-'}:${record.batch}`
}

/**
 * Which of a merge's files (from 0) each of its records came from: its `recordFiles` entry, or for
 * a merge written before them the file of its slot (by `slotsPerFile`, else `slotsWhenUnknown`);
 * undefined when neither tells (a record that never ran there).
 */
export function mergedFileOf(
  merged: MergeInfo,
  records: BatchedReport['records'],
  slotsWhenUnknown: readonly number[] = []
): (record: BatchedRecord) => number | undefined {
  const files = merged.recordFiles
  if (files !== undefined) {
    const fileOfItem = new Map<number, number>()
    records.forEach((record, position) => {
      const file = files[position]
      if (file !== undefined) fileOfItem.set(record.index, file)
    })
    return record => fileOfItem.get(record.index)
  }
  const fileOf = fileOfSlot(merged.slotsPerFile ?? slotsWhenUnknown)
  return record => (record.slot === null ? undefined : fileOf(record.slot))
}

/**
 * The given records grouped by the command that ran them, in the order of each command's first
 * record: a batch's members together, each record without a batch on its own.
 */
export function commandRuns(
  records: readonly TaskRecord[],
  report: Pick<RunReport, 'merged' | 'records'>
): CommandRun[] {
  const keyOf = batchKey(report)
  const runs: TaskRecord[][] = []
  const byKey = new Map<string, TaskRecord[]>()
  for (const record of records) {
    const key = keyOf(record)
    const run = key === undefined ? undefined : byKey.get(key)
    if (run !== undefined) {
      run.push(record)
      continue
    }
    const fresh = [record]
    runs.push(fresh)
    if (key !== undefined) byKey.set(key, fresh)
  }
  return runs as unknown as CommandRun[]
}

/** How many batches the records ran in (0 without batches). */
export function batchCount(report: Pick<RunReport, 'records' | 'merged'>): number {
  const keyOf = batchKey(report)
  return new Set(report.records.map(keyOf).filter(key => key !== undefined)).size
}

/**
 * How a batch is named, as the log titles it (batchName): `Batch 3 (a.ts, b.ts, c.ts and 47
 * more)`; a record without a batch by its item's label.
 */
export function commandRunName(run: CommandRun, max = BATCH_NAME_CHARS): string {
  const first = run[0]
  if (first.batch === undefined) return itemLabel(first.item, max)
  return batchName(
    first.batch,
    run.map(record => record.item),
    max
  )
}

/** What a share of a batch's time is taken from: a record's batch, slot and duration. */
type TimedRecord = BatchedRecord & Pick<TaskRecord, 'durationMs'>

/**
 * Each record's share of its command's time, so that what a later run learns from a batched run
 * is per item, as it batches again; a record without a batch keeps its own duration. A batch's
 * duration is split in proportion to its members' earlier durations when `estimateOf` knows them
 * all (they add up to the batch's time, at least 1 ms each), so that an item known to be slow
 * stays so; evenly otherwise (rounded, at least 1 ms). A batch that took no time stays at 0.
 * Results files keep the batch's whole duration on each member.
 */
export function itemShares<R extends TimedRecord>(
  records: readonly R[],
  report: Partial<BatchedReport>,
  estimateOf?: (record: R) => number | undefined
): (record: TimedRecord) => number {
  // A merge's files are told by its records' positions: those given when the report has none.
  const keyOf = batchKey({ merged: report.merged, records: report.records ?? records })
  const members = new Map<string, R[]>()
  for (const record of records) {
    const key = keyOf(record)
    if (key === undefined) continue
    const batch = members.get(key)
    if (batch === undefined) members.set(key, [record])
    else batch.push(record)
  }
  const weighted = new Map<string, Map<number, number>>()
  if (estimateOf !== undefined) {
    for (const [key, batch] of members) {
      const estimates = batch.map(estimateOf)
      if (batch.length < 2 || estimates.some(known => known === undefined)) continue
      const shares = weightedShares((batch[0] as R).durationMs, estimates as number[])
      if (shares !== undefined) {
        weighted.set(key, new Map(batch.map((record, at) => [record.index, shares[at] as number])))
      }
    }
  }
  return record => {
    const key = keyOf(record)
    const count = key === undefined ? 1 : (members.get(key)?.length ?? 1)
    // A batch that took no time (it never started) stays at 0, as a record alone does.
    if (count === 1 || record.durationMs === 0) return record.durationMs
    const share = weighted.get(key as string)?.get(record.index)
    return share ?? Math.max(1, Math.round(record.durationMs / count))
  }
}

/**
 * `total` ms split in proportion to `weights` (largest remainders), each at least 1 ms and adding
 * up to `total`; undefined when that cannot be (no weight, or less than 1 ms a member).
 */
export function weightedShares(total: number, weights: readonly number[]): number[] | undefined {
  const sum = weights.reduce((all, weight) => all + Math.max(0, weight), 0)
  if (sum <= 0 || total < weights.length) return undefined
  const exact = weights.map(weight => (total * Math.max(0, weight)) / sum)
  const shares = exact.map(Math.floor)
  let left = total - shares.reduce((all, share) => all + share, 0)
  const byRemainder = exact
    .map((value, at) => ({ at, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.at - b.at)
  for (const { at } of byRemainder) {
    if (left-- <= 0) break
    shares[at] = (shares[at] as number) + 1
  }
  // An item that took no time before still gets 1 ms, taken from the largest shares in turn.
  let owed = 0
  shares.forEach((share, at) => {
    if (share < 1) [shares[at], owed] = [1, owed + 1 - share]
  })
  const largestFirst = shares.map((_, at) => at).sort((a, b) => shares[b]! - shares[a]!)
  for (let turn = 0; owed > 0; turn = (turn + 1) % largestFirst.length) {
    const at = largestFirst[turn] as number
    if ((shares[at] as number) > 1) [shares[at], owed] = [(shares[at] as number) - 1, owed - 1]
  }
  return shares
}
