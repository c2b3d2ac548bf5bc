import { type Item } from './item.js'

/** A matrix runs at most 256 jobs, so a run has at most this many shards. */
export const MAX_SHARDS = 256

/** One job's share of the items: shard `index` (0-based, as `strategy.job-index`) of `total`. */
export interface Shard {
  index: number
  total: number
}

/** An item of a shard, at its place in the whole input. */
export interface ShardItem {
  index: number
  item: Item
}

/** What a sharded run records so that a later job can merge the shards and check them. */
export interface ShardInfo extends Shard {
  /** How many items there are across all shards. */
  itemCount: number
  /** SHA-256 of every item's text in input order: equal on every shard of the same run. */
  itemsDigest: string
  /** SHA-256 of the whole split: shards that disagree on it ran some items twice and some never. */
  splitDigest: string
  /** Whether known durations balanced the split (else it is by count). */
  byTimings: boolean
  /** Estimated milliseconds of this shard's items and of all items, from the timings. */
  estimatedMs: number
  estimatedTotalMs: number
  /** This shard's items, as the split gave them: a merge checks the shard's records against them. */
  items: ShardItem[]
}
