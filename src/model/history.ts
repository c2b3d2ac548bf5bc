import { itemText, type Item } from './item.js'
import { type RunIdentity } from './run-report.js'
import { ranInThisRun, type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'

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

/** The bounds every history is kept to: 10 results per item; items unseen for 30 runs dropped. */
export const HISTORY_LIMITS: Readonly<HistoryLimits> = { results: 10, unseenRuns: 30 }

/** A history that has seen no run: what a first run starts from. */
export function emptyHistory(): History {
  return { limits: { ...HISTORY_LIMITS }, runs: [], items: new Map() }
}

/**
 * Each item's key in the history: its text (a task's name), and for the k-th item (k ≥ 2) of
 * the same text `text + "\0#" + k`, so repeated items keep results of their own. `items` must be
 * the whole input in input order (a shard takes its items' keys from the whole plan's `keys`):
 * over a part of it, the k-th repeat would be counted in that part, and share a key with another.
 */
export function historyKeys(items: readonly Item[]): string[] {
  const seen = new Map<string, number>()
  return items.map(item => {
    const text = itemText(item)
    const count = (seen.get(text) ?? 0) + 1
    seen.set(text, count)
    return count === 1 ? text : `${text}\u0000#${count}`
  })
}

/** What the history takes from a task's record. */
export type HistoryRecord = Pick<
  TaskRecord,
  'item' | 'status' | 'durationMs' | 'endedAt' | 'flaky' | 'commandDigest' | 'sourcesDigest'
>

/** The run a history is updated with: its identity (none outside a workflow run), time and split. */
export interface RunToRecord {
  identity?: RunIdentity
  /** When it ran (epoch milliseconds): the time of its results that have no end time. */
  at: number
  split?: HistorySplit
}

/** Whether a task with this status ran to an end: what skip-passed and durations go by. */
function ranToAnEnd(status: TaskStatus): boolean {
  switch (status) {
    case TaskStatus.Success:
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
      return true
    case TaskStatus.Cancelled:
    case TaskStatus.Skipped:
    case TaskStatus.Reused:
      return false
  }
}

/**
 * The history after a run: `previous` (left unchanged) updated with the run's records. A run is
 * one (run id, attempt): given again (a merge adding shards one by one, a step run twice), it
 * keeps its place and each item's result from it is replaced, never counted twice, as long as the
 * run is among the kept runs and the item's result from it among its kept results: a run given
 * again once trimmed away counts as a new one (a run outside a workflow always does). Skipped and
 * reused items are only marked seen. Then results are trimmed to `limits.results` per item, runs
 * to `limits.unseenRuns`, and items not seen in the last `limits.unseenRuns` runs are dropped.
 * `keys` are the records' keys over the whole input (the run's `plan.keys` at each record's
 * index; for a merge, the `historyKeys` of the items its shards' files list).
 */
export function historyAfter(
  previous: History,
  run: RunToRecord,
  records: readonly HistoryRecord[],
  keys: readonly string[]
): History {
  const limits = { ...previous.limits }
  const runs = previous.runs.map(one => ({ ...one }))
  const thisRun = runEntry(runs, run)
  const items = new Map<string, HistoryEntry>()
  for (const [key, entry] of previous.items) items.set(key, copyEntry(entry))
  records.forEach((record, position) => {
    const key = keys[position] as string
    const entry = items.get(key) ?? { seen: 0, results: [], runs: 0, failures: 0, flaky: 0 }
    entry.seen = Math.max(entry.seen, thisRun.seq)
    if (ranInThisRun(record.status)) addResult(entry, thisRun, record, run.at, limits.results)
    items.set(key, entry)
  })
  return bounded({ limits, runs, items })
}

/** The run's entry in `runs` (added when new; given a split when the run has one). */
function runEntry(runs: HistoryRun[], run: RunToRecord): HistoryRun {
  const runId = run.identity?.id ?? null
  const attempt = run.identity?.attempt ?? null
  let entry =
    runId === null ? undefined : runs.find(one => one.runId === runId && one.attempt === attempt)
  if (entry === undefined) {
    const seq = runs.reduce((highest, one) => Math.max(highest, one.seq), 0) + 1
    entry = { seq, runId, attempt, at: run.at }
    runs.push(entry)
  }
  if (run.split !== undefined) entry.split = run.split
  return entry
}

/** A copy of an entry that can be changed without changing the one it was copied from. */
function copyEntry(entry: HistoryEntry): HistoryEntry {
  const copy = { ...entry, results: entry.results.map(result => ({ ...result })) }
  if (entry.last !== undefined) copy.last = { ...entry.last }
  return copy
}

/** Adds a record's result to its item's entry, replacing one from the same run. */
function addResult(
  entry: HistoryEntry,
  run: HistoryRun,
  record: HistoryRecord,
  at: number,
  keep: number
): void {
  const result: HistoryResult = {
    runId: run.runId,
    attempt: run.attempt,
    status: record.status,
    durationMs: Math.round(record.durationMs)
  }
  if (record.flaky === true) result.flaky = true
  const same =
    run.runId === null
      ? -1
      : entry.results.findIndex(one => one.runId === run.runId && one.attempt === run.attempt)
  if (same >= 0) {
    tally(entry, entry.results[same] as HistoryResult, -1)
    entry.results[same] = result
  } else {
    entry.results.push(result)
    entry.results.splice(0, entry.results.length - keep)
  }
  tally(entry, result, 1)
  if (!ranToAnEnd(record.status)) return
  const last: LastResult = { ...result, at: record.endedAt ?? at }
  if (record.commandDigest !== undefined) last.commandDigest = record.commandDigest
  if (record.sourcesDigest !== undefined) last.sourcesDigest = record.sourcesDigest
  // A result of an older run merged in late does not hide a newer one.
  if (entry.last === undefined || last.at >= entry.last.at) entry.last = last
}

/** Adds a result to (sign 1) or takes it from (sign −1) its item's counts. */
function tally(entry: HistoryEntry, result: HistoryResult, sign: 1 | -1): void {
  entry.runs += sign
  if (result.status === TaskStatus.Failure || result.status === TaskStatus.TimedOut) {
    entry.failures += sign
  }
  if (result.flaky === true) entry.flaky += sign
}

/**
 * The history within its limits: the last `unseenRuns` runs, the items seen in them with their
 * last `results` results, and the split of the newest sharded run only (a re-run attempt needs
 * no older one). `history` is left unchanged.
 */
export function bounded(history: History): History {
  const { limits } = history
  const sorted = [...history.runs].sort((a, b) => a.seq - b.seq).slice(-limits.unseenRuns)
  const newest = sorted.at(-1)?.seq ?? 0
  const splitRun = sorted.findLast(run => run.split !== undefined)
  const runs = sorted.map(run => {
    if (run === splitRun || run.split === undefined) return run
    const older = { ...run }
    delete older.split
    return older
  })
  const items = new Map<string, HistoryEntry>()
  for (const [key, entry] of history.items) {
    if (newest - entry.seen >= limits.unseenRuns) continue
    items.set(key, { ...entry, results: entry.results.slice(-limits.results) })
  }
  return { limits, runs, items }
}

/**
 * Each item's latest duration that ran to an end (success or failure), by key, from runs other
 * than `runId`: every attempt of one workflow run estimates alike, so it splits and orders alike.
 */
export function durationsBefore(history: History, runId?: number): Map<string, number> {
  const durations = new Map<string, number>()
  for (const [key, entry] of history.items) {
    const result = entry.results.findLast(
      one =>
        (one.status === TaskStatus.Success || one.status === TaskStatus.Failure) &&
        (one.runId === null || one.runId !== runId)
    )
    if (result !== undefined) durations.set(key, result.durationMs)
  }
  return durations
}

/**
 * The items (by position in `keys`) that were flaky in the runs the history keeps: how many of
 * their kept results were flaky, of how many.
 */
export function recentFlakiness(
  history: History,
  keys: readonly string[]
): HistoryFacts['recentlyFlaky'] {
  const flaky: HistoryFacts['recentlyFlaky'] = new Map()
  keys.forEach((key, position) => {
    const results = history.items.get(key)?.results ?? []
    const count = results.filter(result => result.flaky === true).length
    if (count > 0) flaky.set(position, { flaky: count, of: results.length })
  })
  return flaky
}

/**
 * The shard of each item as a run attempt of `runId` split the same items (by `itemsDigest`) over
 * `total` shards, so that a re-run attempt splits as the first did; undefined when none did.
 */
export function splitOf(
  history: History,
  runId: number | undefined,
  total: number,
  itemsDigest: string
): number[] | undefined {
  if (runId === undefined) return undefined
  const run = history.runs.findLast(
    one =>
      one.runId === runId &&
      one.split !== undefined &&
      one.split.total === total &&
      one.split.itemsDigest === itemsDigest
  )
  return run?.split?.shardOf
}
