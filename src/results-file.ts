import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Shell } from './constants.js'
import { HaltKind } from './executor.js'
import { countStatuses, type MergeInfo, type RunReport, type StatusCounts } from './results.js'
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
import { type ResolveOutcome } from './review-threads.js'
import { type ShardInfo, type ShardItem } from './shard.js'
import { type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'
import { createAfresh } from './plain-files.js'

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
  index: whole(),
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
  total: whole(),
  succeeded: whole(),
  failed: whole(),
  timedOut: whole(),
  cancelled: whole(),
  skipped: whole()
}

const SHARD_ITEM_FORMAT: ObjectFormat<ShardItem> = { index: whole(), item: jsonValue }

const SHARD_FORMAT: ObjectFormat<ShardInfo> = {
  index: whole(),
  total: whole(1),
  itemCount: whole(),
  itemsDigest: text,
  splitDigest: text,
  byTimings: flag,
  estimatedMs: milliseconds,
  estimatedTotalMs: milliseconds,
  items: arrayOf(objectOf(SHARD_ITEM_FORMAT))
}

const MERGE_FORMAT: ObjectFormat<MergeInfo> = {
  files: whole(),
  shards: nullable(whole(1)),
  missingShards: arrayOf(whole()),
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
  if ((report.haltReason === null) !== (report.haltKind === null)) {
    throw new FieldError('haltKind', `is ${report.haltKind}. Expected it with a haltReason only`)
  }
  records.forEach((record, position) => {
    if (record.slot !== null && record.slot > report.workers) {
      throw new FieldError(
        `results[${position}].slot`,
        `is ${record.slot}. Expected at most the ${report.workers} workers of the run`
      )
    }
  })
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
