import { isAbsolute, relative } from 'node:path'
import {
  historyAfter,
  historyKeys,
  type History,
  type HistoryRecord,
  type HistorySplit
} from '../model/history.js'
import { type Item } from '../model/item.js'
import { type RunIdentity, type RunReport } from '../model/run-report.js'
import { readResultsFile } from '../results/results-file.js'
import { findFiles } from '../system/glob.js'

/** The reports of the results files a merge read, for its history; files it cannot read are left out. */
export async function mergedFiles(globs: string, cwd: string): Promise<RunReport[]> {
  const paths = await findFiles(globs, cwd)
  const reads = await Promise.allSettled(
    paths.map(path => {
      const inside = relative(cwd, path)
      return readResultsFile(path, inside.startsWith('..') || isAbsolute(inside) ? path : inside)
    })
  )
  return reads.flatMap(read => (read.status === 'fulfilled' ? [read.value] : []))
}

/**
 * The history after a merge: `previous` updated with the merged records, each under the run
 * attempt its shard's file was written in (a shard not re-run keeps its earlier attempt, and a
 * file merged again replaces its results, never adds them twice), with the split the shards'
 * files list. Files that are not shards go in under the merged report's run.
 */
export function historyAfterMerge(
  previous: History,
  merged: RunReport,
  files: readonly RunReport[],
  at: number = Date.now()
): History {
  const sharded = files.length > 0 && files.every(file => file.shard !== undefined)
  const runOf = new Map<number, RunIdentity | undefined>()
  if (sharded) {
    for (const file of files) {
      for (const record of file.records)
        if (!runOf.has(record.index)) runOf.set(record.index, file.run)
    }
  }
  const split = sharded ? splitOfFiles(files) : undefined
  const keys = keysByIndex(merged, files, sharded)
  const groups = new Map<
    string,
    { identity?: RunIdentity; records: HistoryRecord[]; keys: string[] }
  >()
  for (const record of merged.records) {
    const identity = sharded ? runOf.get(record.index) : merged.run
    const name = identity === undefined ? '' : `${identity.id}/${identity.attempt}`
    const group = groups.get(name) ?? { identity, records: [], keys: [] }
    group.records.push(record)
    group.keys.push(keys(record.index))
    groups.set(name, group)
  }
  // Earlier attempts first, so the history's runs stay in the order they ran.
  const ordered = [...groups.values()].sort(
    (a, b) => (a.identity?.attempt ?? 0) - (b.identity?.attempt ?? 0)
  )
  let history = previous
  ordered.forEach((group, position) => {
    const last = position === ordered.length - 1
    const run = { identity: group.identity, at, ...(last && split ? { split } : {}) }
    history = historyAfter(history, run, group.records, group.keys)
  })
  return history
}

/** Each record's history key by its index: over every item of the split when the shards list them all. */
function keysByIndex(
  merged: RunReport,
  files: readonly RunReport[],
  sharded: boolean
): (index: number) => string {
  const itemCount = files[0]?.shard?.itemCount ?? 0
  const items = new Array<Item | undefined>(itemCount)
  if (sharded)
    for (const file of files) for (const one of file.shard?.items ?? []) items[one.index] = one.item
  if (sharded && itemCount > 0 && items.every(item => item !== undefined)) {
    const keys = historyKeys(items as Item[])
    return index => keys[index] as string
  }
  // Some shard is missing: the keys of the items there are.
  const keys = historyKeys(merged.records.map(record => record.item))
  const byIndex = new Map(
    merged.records.map((record, position) => [record.index, keys[position] as string])
  )
  return index => byIndex.get(index) as string
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
