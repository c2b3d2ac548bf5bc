import { createHash } from 'node:crypto'
import { formatDuration } from '../model/duration.js'
import { durationsBefore, splitOf, type History, type HistorySplit } from '../model/history.js'
import { itemText } from '../model/item.js'
import { type PreparedItem } from '../exec/command-task.js'
import { type Shard, type ShardInfo } from '../model/shard.js'
import { type RunPlan } from './run-plan.js'
import { estimateDurations } from './timings.js'

/**
 * The shard of each task, balancing estimated durations: longest first, each onto the shard with
 * the least estimated load so far (ties: fewer tasks, then the lower shard). The greedy
 * longest-processing-time rule ends within 4/3 of the best possible split and, unlike splitting
 * by count, does not pile the long tasks onto one shard. With equal estimates it deals the tasks
 * round-robin in input order. The result depends only on its arguments, so every job of a
 * matrix computes the same split.
 */
export function assignShards(estimates: readonly number[], shards: number): number[] {
  const order = estimates
    .map((_, index) => index)
    .sort((a, b) => (estimates[b] as number) - (estimates[a] as number) || a - b)
  const load = new Array<number>(shards).fill(0)
  const count = new Array<number>(shards).fill(0)
  const shardOf = new Array<number>(estimates.length)
  for (const task of order) {
    let best = 0
    for (let shard = 1; shard < shards; shard++) {
      const lighter =
        (load[shard] as number) < (load[best] as number) ||
        (load[shard] === load[best] && (count[shard] as number) < (count[best] as number))
      if (lighter) best = shard
    }
    shardOf[task] = best
    load[best] = (load[best] as number) + (estimates[task] as number)
    count[best] = (count[best] as number) + 1
  }
  return shardOf
}

/** One job's share of a plan, and the whole split it came from (kept in the history). */
export type ShardPlan = RunPlan & {
  shard: ShardInfo
  split: HistorySplit
  /** True when the split is an earlier attempt's of this workflow run, taken from the history. */
  splitReused: boolean
}

/**
 * Narrows a plan to one shard's items. Every item keeps its place in the whole input (its `{#}`,
 * its number in the log and its `index` in the results), so shards merge back in input order.
 * When the history holds an earlier attempt of this workflow run (`runId`) that split the same
 * items over as many shards, the split is that one: a re-run attempt of one shard runs the same
 * items as its first attempt, whatever durations were learned since. Else it balances the
 * durations known from other runs. Its `keys` are its items' keys over the whole input: what
 * chooseReused and scheduleByHistory take for them (a shard's records are recorded under the
 * whole plan's keys, by index).
 */
export function takeShard(
  plan: RunPlan,
  shard: Shard,
  history: History,
  runId?: number
): ShardPlan {
  const keys = plan.prepared.map(prepared => itemText(prepared.item))
  const digest = itemsDigest(keys)
  const durations = durationsBefore(history, runId)
  const known = plan.keys.some(key => durations.has(key))
  const estimates = estimateDurations(plan.keys, durations)
  const stored = splitOf(history, runId, shard.total, digest)
  const splitReused = stored !== undefined && stored.length === keys.length
  const shardOf = splitReused ? stored : assignShards(estimates, shard.total)
  const mine = keys.map((_, index) => index).filter(index => shardOf[index] === shard.index)
  const sum = (indexes: readonly number[]): number =>
    indexes.reduce((total, index) => total + (estimates[index] as number), 0)
  return {
    template: plan.template,
    prepared: mine.map(index => plan.prepared[index] as RunPlan['prepared'][0]),
    // Sharding refuses tasks with needs, so there are none to carry over.
    needs: plan.needs === undefined ? undefined : mine.map(() => []),
    priorities: mine.map(index => plan.priorities[index] as number),
    // Keys over the whole input: a repeated item's key is the same in every shard.
    keys: mine.map(index => plan.keys[index] as string),
    shard: {
      ...shard,
      itemCount: keys.length,
      itemsDigest: digest,
      splitDigest: splitDigest(shardOf),
      byTimings: known,
      estimatedMs: known ? Math.round(sum(mine)) : 0,
      estimatedTotalMs: known ? Math.round(sum(keys.map((_, index) => index))) : 0,
      items: mine.map(index => {
        const { item } = plan.prepared[index] as PreparedItem
        return { index, item }
      })
    },
    split: { total: shard.total, itemsDigest: digest, shardOf: [...shardOf] },
    splitReused
  }
}

/** A digest of the whole split (the shard of each item) that shards compare to be sure they agree. */
export function splitDigest(shardOf: readonly number[]): string {
  return createHash('sha256').update(shardOf.join(',')).digest('hex')
}

/** A digest of the item list that shards compare to be sure they split the same items. */
export function itemsDigest(keys: readonly string[]): string {
  const hash = createHash('sha256')
  for (const key of keys) hash.update(`${Buffer.byteLength(key)}:${key}`)
  return hash.digest('hex')
}

/** The log line that says which share of the items this job runs, and how they were split. */
export function describeShard(shard: ShardInfo, count: number, splitReused = false): string {
  const duration = `about ${formatDuration(shard.estimatedMs)} of ${formatDuration(shard.estimatedTotalMs)} in all`
  const balance = splitReused
    ? `split as the first attempt of this run split them${shard.byTimings ? `: ${duration}` : ''}`
    : shard.byTimings
      ? `balanced by known durations: ${duration}`
      : 'dealt round-robin; give history to balance by duration'
  return `Shard ${shard.index}/${shard.total}: ${count} of ${shard.itemCount} items (${balance}).`
}
