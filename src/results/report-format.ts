import { Shell } from '../model/shell.js'
import { HaltKind } from '../model/halt.js'
import {
  type MergeInfo,
  type RunIdentity,
  type RunReport,
  type StatusCounts
} from '../model/run-report.js'
import {
  arrayOf,
  checked,
  defaulted,
  flag,
  integer,
  isoTime,
  jsonValue,
  milliseconds,
  nullable,
  objectOf,
  oneOf,
  optional,
  stringMap,
  text,
  versioned,
  whole,
  type ObjectFormat
} from './field-formats.js'
import { LOCK_NAMES } from './lock-names.js'
import { type ResolveOutcome, type ReusedFrom, type TaskRecord } from '../model/task-record.js'
import { MAX_SHARDS, type ShardInfo, type ShardItem } from '../model/shard.js'
import { TaskStatus } from '../model/task-status.js'

/**
 * The most items a run can have: they are one array, and an array holds at most 2³² − 1 values.
 * Every count and item number read from a file stays within it, so none can size what a merge
 * builds beyond what a run could.
 */
export const MAX_ITEMS = 2 ** 32 - 1
const itemNumber = whole(0, MAX_ITEMS - 1)
const itemTotal = whole(0, MAX_ITEMS)

/**
 * The results file, both ways: every field of a report and of its records, with the type each
 * must have. Writing and reading go through these formats only, and each format must name every
 * key of its type (a compile error otherwise), so a field cannot be written and not read back.
 */
const RESOLVE_FORMAT: ObjectFormat<ResolveOutcome> = {
  resolved: flag,
  commentUrl: optional(text),
  error: optional(text)
}

export const SHA256 = checked<string>(
  json => typeof json === 'string' && /^[0-9a-f]{64}$/.test(json),
  'a SHA-256 digest in 64 hex digits'
)

/** A workflow run's id or attempt, as the runner gives them. */
export const RUN_NUMBER = whole(1)

const RUN_FORMAT: ObjectFormat<RunIdentity> = { id: RUN_NUMBER, attempt: RUN_NUMBER }

const REUSED_FROM_FORMAT: ObjectFormat<ReusedFrom> = {
  runId: RUN_NUMBER,
  attempt: RUN_NUMBER,
  at: isoTime
}

/** A record's fields, in the order the file lists them: the public result first. */
export const RECORD_FORMAT: ObjectFormat<TaskRecord> = {
  index: itemNumber,
  item: jsonValue,
  status: oneOf(TaskStatus),
  exitCode: nullable(integer),
  signal: nullable(text),
  durationMs: milliseconds,
  batch: optional(whole(1)),
  attempts: whole(),
  command: text,
  outputs: stringMap,
  needs: optional(arrayOf(text)),
  resolve: optional(objectOf(RESOLVE_FORMAT)),
  flaky: optional(checked<true>(json => json === true, 'true (or no flaky key)')),
  reusedFrom: optional(objectOf(REUSED_FROM_FORMAT)),
  slot: nullable(whole(1)),
  slots: optional(arrayOf(whole(1))),
  locks: optional(LOCK_NAMES),
  startedAt: nullable(isoTime),
  endedAt: nullable(isoTime),
  error: nullable(text),
  outputTail: text,
  summary: text,
  skipReason: optional(text),
  blockedBy: optional(arrayOf(itemNumber)),
  commandDigest: optional(SHA256),
  sourcesDigest: optional(SHA256)
}

/** The counts of a report, by status. */
export const COUNTS_FORMAT: ObjectFormat<StatusCounts> = {
  total: itemTotal,
  succeeded: whole(),
  failed: whole(),
  timedOut: whole(),
  cancelled: whole(),
  skipped: whole(),
  reused: defaulted(whole(), 0)
}

const SHARD_ITEM_FORMAT: ObjectFormat<ShardItem> = { index: itemNumber, item: jsonValue }

// As the `shard` input: at most MAX_SHARDS shards.
const SHARD_FORMAT: ObjectFormat<ShardInfo> = {
  index: whole(0, MAX_SHARDS - 1),
  total: whole(1, MAX_SHARDS),
  itemCount: itemTotal,
  itemsDigest: text,
  splitDigest: text,
  byTimings: flag,
  estimatedMs: milliseconds,
  estimatedTotalMs: milliseconds,
  items: arrayOf(objectOf(SHARD_ITEM_FORMAT))
}

const MERGE_FORMAT: ObjectFormat<MergeInfo> = {
  files: whole(),
  shards: nullable(whole(1, MAX_SHARDS)),
  missingShards: arrayOf(whole(0, MAX_SHARDS - 1)),
  problems: arrayOf(text),
  slotsPerFile: optional(arrayOf(whole())),
  recordFiles: optional(arrayOf(whole()))
}

/** The shell the tasks ran in; '' when nothing ran (it reaches the summary as it is). */
const SHELLS = new Set<string>(['', ...Object.values(Shell)])
const SHELL = checked<string>(
  json => typeof json === 'string' && SHELLS.has(json),
  `one of ${Object.values(Shell).join(', ')}, or '' when nothing ran`
)

const REPORT_FORMAT: ObjectFormat<RunReport> = {
  counts: objectOf(COUNTS_FORMAT),
  durationMs: milliseconds,
  workers: whole(),
  shell: SHELL,
  haltReason: nullable(text),
  haltKind: nullable(oneOf(HaltKind)),
  shard: optional(objectOf(SHARD_FORMAT)),
  merged: optional(objectOf(MERGE_FORMAT)),
  run: optional(objectOf(RUN_FORMAT)),
  dryRun: optional(checked<true>(json => json === true, 'true (or no dryRun key)')),
  batchSize: optional(
    checked<number | 'auto'>(
      json => json === 'auto' || (Number.isSafeInteger(json) && (json as number) >= 2),
      "a whole number of at least 2, or 'auto'"
    )
  ),
  records: arrayOf(objectOf(RECORD_FORMAT))
}

/**
 * The version of the results file this code writes and reads. A file without one is read as
 * version 1: files were written without the key, in this same format, before it was added.
 */
export const RESULTS_VERSION = 1

/** The key of the file's records: a report's `records` are its `results`. */
export const RECORDS_KEY = 'results'

/** The whole file: its version, then the report's fields, its records under `results`. */
export const RESULTS_FILE_FORMAT = versioned(
  objectOf(REPORT_FORMAT, { records: RECORDS_KEY }),
  RESULTS_VERSION
)
