import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Shell } from '../model/shell.js'
import { HaltKind } from '../model/halt.js'
import { countStatuses, type MergeInfo, type RunReport, type StatusCounts } from '../model/run-report.js'
import {
  arrayOf,
  checked,
  FieldError,
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
  whole,
  type ObjectFormat
} from './results-format.js'
import { type ResolveOutcome } from '../model/task-record.js'
import { MAX_SHARDS, type ShardInfo, type ShardItem } from '../model/shard.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { createAfresh } from '../system/plain-files.js'

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

/** A record's fields, in the order the file lists them: the public result first. */
export const RECORD_FORMAT: ObjectFormat<TaskRecord> = {
  index: itemNumber,
  item: jsonValue,
  status: oneOf(TaskStatus),
  exitCode: nullable(integer),
  signal: nullable(text),
  durationMs: milliseconds,
  attempts: whole(),
  command: text,
  outputs: stringMap,
  needs: optional(arrayOf(text)),
  resolve: optional(objectOf(RESOLVE_FORMAT)),
  slot: nullable(whole(1)),
  startedAt: nullable(isoTime),
  endedAt: nullable(isoTime),
  error: nullable(text),
  outputTail: text,
  summary: text,
  skipReason: optional(text)
}

const COUNTS_FORMAT: ObjectFormat<StatusCounts> = {
  total: itemTotal,
  succeeded: whole(),
  failed: whole(),
  timedOut: whole(),
  cancelled: whole(),
  skipped: whole()
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
  problems: arrayOf(text)
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
  records: arrayOf(objectOf(RECORD_FORMAT))
}

/** The whole file: the report's fields, its records under `results`. */
const FILE = objectOf(REPORT_FORMAT, { records: 'results' })

/** Name of the results file a run writes. */
export const RESULTS_FILE = 'results.json'

/** The JSON text of a report's results file. */
export function resultsFileText(report: RunReport): string {
  return JSON.stringify(FILE.write(report), null, 2) + '\n'
}

/**
 * Writes the results file: every record with its start and end times, worker slot, error and
 * output tail, and how the run went. Returns its path.
 */
export async function writeResultsFile(directory: string, report: RunReport): Promise<string> {
  await mkdir(directory, { recursive: true })
  const path = join(directory, RESULTS_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, resultsFileText(report))
  return path
}

/**
 * Reads a results file, refusing one that is not exactly what writeResultsFile writes; errors
 * call it `name`.
 */
export async function readResultsFile(path: string, name = path): Promise<RunReport> {
  let content: string
  try {
    content = await readFile(path, 'utf8')
  } catch (error) {
    throw invalid(name, `it cannot be read (${String(error)}). Expected a results-file`)
  }
  return parseResultsFile(content, name)
}

/** A report from a results file's text; `path` names it in errors. */
export function parseResultsFile(content: string, path: string): RunReport {
  let json: unknown
  try {
    json = JSON.parse(content)
  } catch {
    throw invalid(path, 'it is not JSON. Expected a results-file written by parallel-exec')
  }
  try {
    const report = FILE.read(json)
    checkConsistency(report)
    return report
  } catch (error) {
    if (!(error instanceof FieldError)) throw error
    throw invalid(path, error.at === '' ? `it ${error.problem}` : error.message)
  }
}

function invalid(path: string, problem: string): Error {
  return new Error(`Invalid results file '${path}': ${problem}.`)
}

/** What the fields must agree on, beyond each one's type. */
function checkConsistency(report: RunReport): void {
  const { records, counts, shard, merged } = report
  const actual = countStatuses(records)
  for (const key of Object.keys(COUNTS_FORMAT) as (keyof StatusCounts)[]) {
    // A merge counts the items of missing shards in total, without records.
    const agrees =
      key === 'total' && merged !== undefined
        ? counts.total >= records.length
        : counts[key] === actual[key]
    if (!agrees) {
      throw new FieldError(
        `counts.${key}`,
        `is ${counts[key]}, but the results hold ${actual[key]}. Expected the counts of its results`
      )
    }
  }
  // A merge of runs that halted differently keeps their reasons but no one kind.
  if (report.haltKind !== null && report.haltReason === null) {
    throw new FieldError('haltKind', `is ${report.haltKind}. Expected it with a haltReason only`)
  }
  if (report.haltKind === null && report.haltReason !== null && merged === undefined) {
    throw new FieldError('haltKind', 'is null. Expected the kind of the haltReason')
  }
  // Only a halt stops a task before it ends: a cancellation without one would go unexplained.
  if (actual.cancelled > 0 && report.haltReason === null) {
    throw new FieldError(
      'haltReason',
      `is null, but ${actual.cancelled} of the results ${actual.cancelled === 1 ? 'is' : 'are'} ` +
        'cancelled. Expected the halt that cancelled them'
    )
  }
  records.forEach((record, position) => {
    if (record.slot !== null && record.slot > report.workers) {
      throw new FieldError(
        `results[${position}].slot`,
        `is ${record.slot}. Expected at most the ${report.workers} workers of the run`
      )
    }
  })
  if (merged !== undefined && shard === undefined) checkMerged(report, merged)
  if (shard === undefined) return
  if (merged !== undefined) {
    throw new FieldError('merged', 'is set with shard. Expected a shard or a merge, not both')
  }
  if (shard.index >= shard.total) {
    throw new FieldError('shard.index', `is ${shard.index}. Expected less than ${shard.total}`)
  }
  // stop-on-success is refused with shard: such a halt would excuse cancellations it never had.
  if (report.haltKind === HaltKind.Successes) {
    throw new FieldError('haltKind', 'is successes. Expected no stop-on-success in a shard')
  }
  // Ascending item numbers below itemCount: so a shard holds at most itemCount items.
  shard.items.forEach(({ index }, position) => {
    const previous = shard.items[position - 1]?.index ?? -1
    if (index <= previous || index >= shard.itemCount) {
      throw new FieldError(
        `shard.items[${position}].index`,
        `is ${index}. Expected item numbers in ascending order, below ${shard.itemCount}`
      )
    }
  })
}

/**
 * What a merge's own file must agree on: items without a record and missing shards are only
 * ever there with the problems that explain them, so reading the file back cannot hide them.
 */
function checkMerged(report: RunReport, merged: MergeInfo): void {
  const withoutRecord = report.counts.total - report.records.length
  if (withoutRecord > 0 && merged.problems.length === 0) {
    throw new FieldError(
      'merged.problems',
      `is empty, but ${withoutRecord} of the ${report.counts.total} items have no result. ` +
        'Expected the problems that left them without one'
    )
  }
  if (merged.missingShards.length === 0) return
  if (merged.problems.length === 0) {
    throw new FieldError(
      'merged.problems',
      `is empty, but missingShards lists ${merged.missingShards.join(', ')}. ` +
        'Expected the problem that names them'
    )
  }
  merged.missingShards.forEach((index, position) => {
    const previous = merged.missingShards[position - 1] ?? -1
    if (merged.shards === null || index <= previous || index >= merged.shards) {
      throw new FieldError(
        `merged.missingShards[${position}]`,
        `is ${index}. Expected shard numbers in ascending order, below the ${merged.shards ?? 0} shards`
      )
    }
  })
}
