import { itemShares } from '../model/batch-runs.js'
import {
  durationsBefore,
  historyAfter,
  historyKeys,
  recentFlakiness,
  type History,
  type HistoryFacts,
  type HistoryRecord,
  type HistorySplit
} from '../model/history.js'
import { type Item } from '../model/item.js'
import { type RunIdentity, type RunReport } from '../model/run-report.js'

/** The history after a merge, what it said of the merged records before, and what it left out. */
export interface MergedHistory {
  history: History
  /** What the history said of the merged records before the merge, by record index. */
  facts: HistoryFacts
  /** Records of files without a run identity: not recorded (a merge run again would count them twice). */
  withoutRun: number
  /** Records whose history key is not known, with a shard missing: not recorded. */
  withoutKey: number
}

/**
 * The history after a merge: `previous` updated with the merged records, each under the run
 * attempt its shard's file was written in (a shard not re-run keeps its earlier attempt, and a
 * file merged again replaces its results, never adds them twice), with the split the shards'
 * files list. Files that are not shards go in under the merged report's run. A merge of dry runs
 * leaves it as it was; records with no run identity, or no sure key, are left out.
 */
export function historyAfterMerge(
  previous: History,
  merged: RunReport,
  files: readonly RunReport[],
  at: number = Date.now()
): MergedHistory {
  const sharded = files.length > 0 && files.every(file => file.shard !== undefined)
  const keys = keysByIndex(merged, files, sharded)
  const recentlyFlaky = new Map<number, { flaky: number; of: number }>()
  for (const record of merged.records) {
    const key = keys(record.index)
    const flaky = key === undefined ? undefined : recentFlakiness(previous, [key]).get(0)
    if (flaky !== undefined) recentlyFlaky.set(record.index, flaky)
  }
  const result = { history: previous, facts: { recentlyFlaky }, withoutRun: 0, withoutKey: 0 }
  if (merged.dryRun === true) return result
  const runOf = new Map<number, RunIdentity | undefined>()
  if (sharded) {
    for (const file of files) {
      for (const record of file.records)
        if (!runOf.has(record.index)) runOf.set(record.index, file.run)
    }
  }
  const split = sharded ? splitOfFiles(files) : undefined
  const groups = new Map<
    string,
    { identity: RunIdentity; records: HistoryRecord[]; keys: string[] }
  >()
  // Per item: each member of a batch holds the whole batch's time, shared in proportion to what
  // the previous history knew of the members (from other workflow runs), evenly otherwise.
  const before = durationsBefore(previous, merged.run?.id)
  const share = itemShares(merged.records, merged, record => {
    const key = keys(record.index)
    return key === undefined ? undefined : before.get(key)
  })
  for (const record of merged.records) {
    const identity = sharded ? runOf.get(record.index) : merged.run
    const key = keys(record.index)
    // Without a run identity a record would go in as a new run each time the merge runs.
    if (identity === undefined) result.withoutRun++
    else if (key === undefined) result.withoutKey++
    else {
      const name = `${identity.id}/${identity.attempt}`
      const group = groups.get(name) ?? { identity, records: [], keys: [] }
      group.records.push({ ...record, durationMs: share(record) })
      group.keys.push(key)
      groups.set(name, group)
    }
  }
  // Earlier attempts first, so the history's runs stay in the order they ran.
  const ordered = [...groups.values()].sort((a, b) => a.identity.attempt - b.identity.attempt)
  let history = previous
  ordered.forEach((group, position) => {
    const last = position === ordered.length - 1
    const run = { identity: group.identity, at, ...(last && split ? { split } : {}) }
    history = historyAfter(history, run, group.records, group.keys)
  })
  return { ...result, history }
}

/**
 * Each record's history key by its index, over the whole input. A shard's file lists only its own
 * items, so with a shard missing the items there are unknown: a record after an unknown item may
 * be a repeat of it, so only the records before the first unknown item get a key (others none).
 */
function keysByIndex(
  merged: RunReport,
  files: readonly RunReport[],
  sharded: boolean
): (index: number) => string | undefined {
  if (!sharded) {
    const keys = historyKeys(merged.records.map(record => record.item))
    const byIndex = new Map(
      merged.records.map((record, position) => [record.index, keys[position] as string])
    )
    return index => byIndex.get(index)
  }
  const itemCount = files[0]?.shard?.itemCount ?? 0
  const known = new Map<number, Item>()
  for (const file of files)
    for (const one of file.shard?.items ?? [])
      if (one.index < itemCount) known.set(one.index, one.item)
  const before: Item[] = []
  while (known.has(before.length)) before.push(known.get(before.length) as Item)
  const keys = historyKeys(before)
  return index => keys[index]
}

/** The split the shards' files list, when every item of the run is in one of them. */
function splitOfFiles(files: readonly RunReport[]): HistorySplit | undefined {
  const first = files[0]?.shard
  if (first === undefined) return undefined
  const shardOf = new Array<number>(first.itemCount).fill(-1)
  for (const file of files) {
    const shard = file.shard
    if (
      shard === undefined ||
      shard.total !== first.total ||
      shard.itemsDigest !== first.itemsDigest
    ) {
      return undefined
    }
    for (const one of shard.items)
      if (one.index >= 0 && one.index < shardOf.length) shardOf[one.index] = shard.index
  }
  if (shardOf.some(shard => shard < 0)) return undefined
  return { total: first.total, itemsDigest: first.itemsDigest, shardOf }
}

/** The merge's log line: what it merged, and how many of its results were reused. */
export function mergeLine(report: RunReport, describedMerge: string): string {
  const reused = report.counts.reused
  if (reused === 0) return describedMerge
  const them = reused === report.records.length ? 'all reused' : `${reused} of them reused`
  return `${describedMerge} ${them}: they succeeded before with the same command and did not run again.`
}

/** What the history left out of a merge, as one line; undefined when it recorded every result. */
export function describeLeftOut(merged: MergedHistory): string | undefined {
  const parts: string[] = []
  const results = (n: number): string => (n === 1 ? '1 result' : `${n} results`)
  if (merged.withoutRun > 0)
    parts.push(`${results(merged.withoutRun)} of files written outside a workflow run (no run id)`)
  if (merged.withoutKey > 0)
    parts.push(
      `${results(merged.withoutKey)} after an item of a missing shard, which they may repeat`
    )
  return parts.length === 0 ? undefined : `History: not recorded: ${parts.join('; ')}.`
}
