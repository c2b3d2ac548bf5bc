import { type HaltKind } from './halt.js'
import { type ShardInfo } from './shard.js'
import { type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'

/** How many tasks ended each way. */
export interface StatusCounts {
  total: number
  succeeded: number
  failed: number
  timedOut: number
  cancelled: number
  skipped: number
  /** Not run because they succeeded in an earlier attempt or run (`skip-passed`). */
  reused: number
}

/** A finished run: every item's record in input order, and how the run went as a whole. */
export interface RunReport {
  records: TaskRecord[]
  counts: StatusCounts
  /** Wall time of the whole run, in milliseconds. */
  durationMs: number
  /** How many tasks could run at once. */
  workers: number
  /** The shell the commands ran in. */
  shell: string
  /** Why the run halted early, if it did: fail-fast, stop-on-success, total-timeout, or a signal from the runner. */
  haltReason: string | null
  /** What kind of halt it was, if any. */
  haltKind: HaltKind | null
  /** This job's share of the items, under `shard`. */
  shard?: ShardInfo
  /** Where the results came from, when they were merged from shards' results files. */
  merged?: MergeInfo
  /** The workflow run attempt it was, when the runner said (`GITHUB_RUN_ID`, `GITHUB_RUN_ATTEMPT`). */
  run?: RunIdentity
  /** True for a dry run: nothing was started, whatever its records' statuses say. */
  dryRun?: true
  /** `batch-size` when it was not 1: items ran in batches, one command each (records' `batch`). */
  batchSize?: number | 'auto'
}

/** One attempt of one workflow run. */
export interface RunIdentity {
  /** `GITHUB_RUN_ID`: the same for every attempt of a run. */
  id: number
  /** `GITHUB_RUN_ATTEMPT`, from 1. */
  attempt: number
}

/** The results files a merged report was built from. */
export interface MergeInfo {
  /** How many results files were merged. */
  files: number
  /** How many shards the run was split into, when the files came from sharded runs. */
  shards: number | null
  /** Shards with no results file: their items have no result. */
  missingShards: number[]
  /**
   * Why the merge is incomplete or not to be trusted, each naming its shard or file: missing
   * shards, files that are not valid or not one run's shards, records that do not match the split
   * (missing, twice, foreign, or for another item). Any of them fails the step.
   */
  problems: string[]
  /**
   * How many worker slots each merged file's records took, in slot order (slots 1 to the first
   * count are the first file's, and so on), so the charts can draw each shard from its own start.
   * Absent from files written before it was added.
   */
  slotsPerFile?: number[]
  /**
   * The file each record came from (from 0, in the order of `slotsPerFile`), in record order:
   * batch numbers restart in each file, and a batch that never started has no slot to tell its
   * file. Set when some record has a batch; absent from files written before it was added.
   */
  recordFiles?: number[]
}

/** The count each status adds to: a new status must be given one here, or it fails to compile. */
const COUNTED_AS: Record<TaskStatus, Exclude<keyof StatusCounts, 'total'>> = {
  [TaskStatus.Success]: 'succeeded',
  [TaskStatus.Failure]: 'failed',
  [TaskStatus.TimedOut]: 'timedOut',
  [TaskStatus.Cancelled]: 'cancelled',
  [TaskStatus.Skipped]: 'skipped',
  [TaskStatus.Reused]: 'reused'
}

/** How many records ended each way. */
export function countStatuses(records: readonly TaskRecord[]): StatusCounts {
  const counts: StatusCounts = {
    total: records.length,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    cancelled: 0,
    skipped: 0,
    reused: 0
  }
  for (const { status } of records) counts[COUNTED_AS[status]]++
  return counts
}

/** The report of a run with no tasks. */
export function emptyReport(shell: string): RunReport {
  return {
    records: [],
    counts: countStatuses([]),
    durationMs: 0,
    workers: 0,
    shell,
    haltReason: null,
    haltKind: null
  }
}
