import {
  type HistoryEntry,
  type HistoryResult,
  type HistoryRun,
  type HistorySplit,
  type LastResult
} from '../model/history.js'
import { MAX_SHARDS } from '../model/shard.js'
import { TaskStatus } from '../model/task-status.js'
import {
  arrayOf,
  checked,
  FieldError,
  isoTime,
  milliseconds,
  nullable,
  objectOf,
  optional,
  whole,
  type Field,
  type ObjectFormat
} from './field-formats.js'
import { RUN_NUMBER, SHA256 } from './report-format.js'

// The history file's runs and item entries, both ways. Each is read on its own, so that one bad
// entry is left out without losing the others.

/** The version of the history file this code writes and reads. */
export const HISTORY_VERSION = 1

/** What the file's `kind` says, so that no other JSON file is taken for a history. */
export const HISTORY_KIND = 'parallel-exec-history'

/** A status among the given ones. */
function statusAmong(...statuses: TaskStatus[]): Field<TaskStatus> {
  const known = new Set<unknown>(statuses)
  return checked(json => known.has(json), `one of ${statuses.join(', ')}`)
}

const FLAKY = optional(checked<true>(json => json === true, 'true (or no flaky key)'))

const RESULT_FORMAT: ObjectFormat<HistoryResult> = {
  runId: nullable(RUN_NUMBER),
  attempt: nullable(RUN_NUMBER),
  status: statusAmong(
    TaskStatus.Success,
    TaskStatus.Failure,
    TaskStatus.TimedOut,
    TaskStatus.Cancelled
  ),
  durationMs: milliseconds,
  flaky: FLAKY
}

const LAST_FORMAT: ObjectFormat<LastResult> = {
  ...RESULT_FORMAT,
  status: statusAmong(TaskStatus.Success, TaskStatus.Failure, TaskStatus.TimedOut),
  at: isoTime,
  commandDigest: optional(SHA256),
  sourcesDigest: optional(SHA256)
}

/** Durations are written as `ms`, the one key every result has: the file stays small. */
const SHORT_NAMES = { durationMs: 'ms' } as const

const ENTRY_FORMAT: ObjectFormat<HistoryEntry> = {
  seen: whole(1),
  results: arrayOf(objectOf(RESULT_FORMAT, SHORT_NAMES)),
  last: optional(objectOf(LAST_FORMAT, SHORT_NAMES)),
  runs: whole(),
  failures: whole(),
  flaky: whole()
}

const SPLIT_FORMAT: ObjectFormat<HistorySplit> = {
  total: whole(1, MAX_SHARDS),
  itemsDigest: SHA256,
  shardOf: arrayOf(whole(0, MAX_SHARDS - 1))
}

const RUN_FORMAT: ObjectFormat<HistoryRun> = {
  seq: whole(1),
  runId: nullable(RUN_NUMBER),
  attempt: nullable(RUN_NUMBER),
  at: isoTime,
  split: optional(objectOf(SPLIT_FORMAT))
}

/** An item's entry, and a run, both ways. */
export const HISTORY_ENTRY = objectOf(ENTRY_FORMAT)
export const HISTORY_RUN = objectOf(RUN_FORMAT)

/** A run id comes with its attempt, and neither without the other. */
function checkIdentity({ runId, attempt }: HistoryResult | HistoryRun, at: string): void {
  if ((runId === null) !== (attempt === null)) {
    throw new FieldError(
      at,
      'has a runId or an attempt without the other. Expected both or neither'
    )
  }
}

/** Reads a run, checking what its fields must agree on. */
export function readRun(json: unknown): HistoryRun {
  const run = HISTORY_RUN.read(json)
  checkIdentity(run, '')
  const split = run.split
  const outside = split?.shardOf.findIndex(shard => shard >= split.total) ?? -1
  if (split !== undefined && outside >= 0) {
    throw new FieldError(
      `split.shardOf[${outside}]`,
      `is ${split.shardOf[outside]}. Expected a shard below ${split.total}`
    )
  }
  return run
}

/** Reads an item's entry, checking what its fields must agree on; `newest` is the newest run. */
export function readEntry(json: unknown, newest: number): HistoryEntry {
  const entry = HISTORY_ENTRY.read(json)
  entry.results.forEach((result, position) => checkIdentity(result, `results[${position}]`))
  if (entry.last !== undefined) checkIdentity(entry.last, 'last')
  // An entry seen after the newest run could never be dropped.
  if (entry.seen > newest) {
    throw new FieldError('seen', `is ${entry.seen}. Expected at most ${newest}, the newest run`)
  }
  if (entry.failures > entry.runs || entry.flaky > entry.runs) {
    throw new FieldError('runs', `is ${entry.runs}. Expected at least its failures and flaky runs`)
  }
  return entry
}
