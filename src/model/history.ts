import { type TaskStatus } from './task-status.js'

/**
 * What earlier runs left for the next one (the `history` input, the `history-file` output): per
 * item, its recent results and durations, its last completed result with the digests it ran
 * with, and counts of its runs, failures and flaky runs. Bounded by `limits`.
 */
export interface History {
  /** How much it keeps: results per item, and runs an item may go unseen before it is dropped. */
  limits: HistoryLimits
  /** The last runs it was updated with, oldest first, at most `limits.unseenRuns` of them. */
  runs: HistoryRun[]
  /** Each item's entry, by its key (`historyKeys`). */
  items: Map<string, HistoryEntry>
}

/** The bounds a history keeps to. */
export interface HistoryLimits {
  /** How many recent results each item keeps. */
  results: number
  /** After how many runs without an item its entry is dropped. */
  unseenRuns: number
}

/** One run (one attempt of a workflow run, or a run outside GitHub) the history was updated with. */
export interface HistoryRun {
  /** Its number in this history: 1 for the first run it saw, one more for each further run. */
  seq: number
  /** `GITHUB_RUN_ID` and `GITHUB_RUN_ATTEMPT`, or null outside a workflow run. */
  runId: number | null
  attempt: number | null
  /** When it was recorded (epoch milliseconds). */
  at: number
  /** How the items were split over shards, when it was sharded: a re-run attempt splits alike. */
  split?: HistorySplit
}

/** A run's split of its items over shards. */
export interface HistorySplit {
  /** How many shards. */
  total: number
  /** SHA-256 of every item's text in input order (as `ShardInfo.itemsDigest`). */
  itemsDigest: string
  /** The shard (0-based) of each item, in input order. */
  shardOf: number[]
}

/** One result of an item in the history. */
export interface HistoryResult {
  /** The workflow run and attempt it ran in, or null outside one. */
  runId: number | null
  attempt: number | null
  /** How it ended: success, failure, timed-out or cancelled (skipped and reused are not kept). */
  status: TaskStatus
  /** How long it ran, in milliseconds. */
  durationMs: number
  /** True when it failed and then succeeded on a retry. */
  flaky?: true
}

/** The latest result of an item that ran to an end, with what it ran: what `skip-passed` compares. */
export interface LastResult extends HistoryResult {
  /** When it ended (epoch milliseconds). */
  at: number
  /** SHA-256 of what it ran (`TaskRecord.commandDigest`), when known. */
  commandDigest?: string
  /** SHA-256 of its sources, when it had sources and they could all be read. */
  sourcesDigest?: string
}

/** Everything the history keeps for one item. */
export interface HistoryEntry {
  /** `seq` of the last run that had the item (run or reused). */
  seen: number
  /** Its latest results, oldest first, at most `limits.results`. */
  results: HistoryResult[]
  /** Its latest result that ran to an end (success, failure or timed-out), if any. */
  last?: LastResult
  /** How many runs it ran in, failed in (failure or timed-out), and was flaky in, all told. */
  runs: number
  failures: number
  flaky: number
}

/** What the history says about this run's items, for the job summary. */
export interface HistoryFacts {
  /** Items of this run that were flaky in recent runs, by record index: how often, of how many. */
  recentlyFlaky: Map<number, { flaky: number; of: number }>
}
