import { fileOfSlot } from '../model/batch-runs.js'
import { checkBatches } from './batch-checks.js'
import { HaltKind } from '../model/halt.js'
import {
  countStatuses,
  type MergeInfo,
  type RunReport,
  type StatusCounts
} from '../model/run-report.js'
import { FieldError } from './field-formats.js'
import { checkSlots } from './slot-checks.js'
import { type ShardInfo } from '../model/shard.js'
import { COUNTS_FORMAT, RECORDS_KEY } from './report-format.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

// What a results file's fields must agree on, beyond each one's type; a FieldError names the first
// field that does not.

/** Checks what the fields of a report read from a file must agree on, beyond each one's type. */
export function checkConsistency(report: RunReport): void {
  const { shard, merged } = report
  const actual = countStatuses(report.records)
  checkCounts(report, actual)
  checkHalt(report, actual.cancelled)
  checkSlots(report)
  checkReuseAndFlakiness(report)
  checkBatches(report)
  if (merged !== undefined && shard === undefined) checkMerged(report, merged)
  if (shard !== undefined) checkShard(report, shard)
}

/** The counts must be those of the records. */
function checkCounts(report: RunReport, actual: StatusCounts): void {
  const { records, counts, merged } = report
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
}

/** A halt's kind comes with its reason, and every cancellation with a halt. */
function checkHalt(report: RunReport, cancelled: number): void {
  // A merge of runs that halted differently keeps their reasons but no one kind.
  if (report.haltKind !== null && report.haltReason === null) {
    throw new FieldError('haltKind', `is ${report.haltKind}. Expected it with a haltReason only`)
  }
  if (report.haltKind === null && report.haltReason !== null && report.merged === undefined) {
    throw new FieldError('haltKind', 'is null. Expected the kind of the haltReason')
  }
  // Only a halt stops a task before it ends: a cancellation without one would go unexplained.
  if (cancelled > 0 && report.haltReason === null) {
    throw new FieldError(
      'haltReason',
      `is null, but ${cancelled} of the results ${cancelled === 1 ? 'is' : 'are'} ` +
        'cancelled. Expected the halt that cancelled them'
    )
  }
}

/**
 * A reused record stands on an earlier success and never ran here: it says which run attempt, and
 * has no attempts, exit, duration, slot or times; only a reused record says so. A flaky record
 * succeeded on a retry: a success of more than one attempt.
 */
function checkReuseAndFlakiness(report: RunReport): void {
  report.records.forEach((record, position) => {
    const field = (name: string): string => `${RECORDS_KEY}[${position}].${name}`
    checkReusedFrom(record, field)
    if (record.status === TaskStatus.Reused) checkNotRun(record, field)
    checkFlaky(record, field)
  })
}

/** Names a field of the record being checked, as `results[3].slot`. */
type FieldName = (name: string) => string

/** `reusedFrom` is on every reused record, and on no other. */
function checkReusedFrom(record: TaskRecord, field: FieldName): void {
  const reused = record.status === TaskStatus.Reused
  if (!reused && record.reusedFrom !== undefined) {
    throw new FieldError(
      field('reusedFrom'),
      `is set on a ${record.status} result. Expected it on reused results only`
    )
  }
  if (reused && record.reusedFrom === undefined) {
    throw new FieldError(
      field('reusedFrom'),
      'is missing. Expected the run attempt a reused result stands on'
    )
  }
}

/** The fields a task that did not run here has as null. */
const NULL_WHEN_NOT_RUN = ['exitCode', 'signal', 'slot', 'startedAt', 'endedAt'] as const

/** A reused record did not run here: no attempts, no duration, and null exit, slot and times. */
function checkNotRun(record: TaskRecord, field: FieldName): void {
  if (record.attempts !== 0) {
    throw new FieldError(
      field('attempts'),
      `is ${record.attempts}. Expected 0 for a reused result, which did not run`
    )
  }
  if (record.durationMs !== 0) {
    throw new FieldError(
      field('durationMs'),
      `is ${record.durationMs}. Expected 0 for a reused result, which did not run`
    )
  }
  const set = NULL_WHEN_NOT_RUN.find(name => record[name] !== null)
  if (set !== undefined) {
    throw new FieldError(field(set), 'is set. Expected null for a reused result, which did not run')
  }
}

/** `flaky` is only on a success after a retry. */
function checkFlaky(record: TaskRecord, field: FieldName): void {
  if (record.flaky === true && (record.status !== TaskStatus.Success || record.attempts < 2)) {
    throw new FieldError(
      field('flaky'),
      `is true on a ${record.status} result of ${record.attempts} attempts. ` +
        'Expected it only on a success after a retry'
    )
  }
}

/** What a shard's file must agree on: its number, its halt and its item numbers. */
function checkShard(report: RunReport, shard: ShardInfo): void {
  if (report.merged !== undefined) {
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
  const slots = merged.slotsPerFile?.reduce((sum, count) => sum + count, 0)
  if (slots !== undefined && slots !== report.workers) {
    throw new FieldError(
      'merged.slotsPerFile',
      `adds up to ${slots}. Expected the ${report.workers} workers the merged files had`
    )
  }
  if (merged.recordFiles !== undefined) checkRecordFiles(report, merged.recordFiles)
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

/**
 * A merge's file of each record: one per record, each one of the merged files, and a record that
 * ran in the file its slot belongs to.
 */
function checkRecordFiles(report: RunReport, recordFiles: readonly number[]): void {
  const slotsPerFile = report.merged?.slotsPerFile
  if (slotsPerFile === undefined) {
    throw new FieldError(
      'merged.recordFiles',
      'is set without slotsPerFile. Expected the files the records came from with their slots'
    )
  }
  if (recordFiles.length !== report.records.length) {
    throw new FieldError(
      'merged.recordFiles',
      `has ${recordFiles.length} entries. Expected one for each of the ${report.records.length} results`
    )
  }
  const fileOf = fileOfSlot(slotsPerFile)
  report.records.forEach((record, position) => {
    const file = recordFiles[position] as number
    const ranIn = record.slot === null ? file : fileOf(record.slot)
    if (file >= slotsPerFile.length || ranIn !== file) {
      throw new FieldError(
        `merged.recordFiles[${position}]`,
        `is ${file}. Expected the file (from 0) of the ${slotsPerFile.length} merged ` +
          `that the result came from${record.slot === null ? '' : `, ${ranIn} by its slot`}`
      )
    }
  })
}
