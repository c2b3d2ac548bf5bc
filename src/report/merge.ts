import { isAbsolute, relative } from 'node:path'
import { mergedFileOf } from '../model/batch-runs.js'
import { type HaltKind } from '../model/halt.js'
import { findFiles } from '../system/glob.js'
import {
  checkRecords,
  checkSplit,
  mergedRun,
  whyNotOneRun,
  type ResultsFile
} from './merge-checks.js'
import { countStatuses, type MergeInfo, type RunReport } from '../model/run-report.js'
import { readResultsFile } from '../results/results-file.js'
import { type ShardInfo } from '../model/shard.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { count, counted } from '../model/words.js'

/** Reads and merges every results file the globs match; none matching is an error. */
export async function mergeResultsFiles(
  globs: string,
  cwd: string,
  input: string
): Promise<RunReport> {
  const { files, refused } = await readResultsFiles(globs, cwd, input)
  return mergeReports(files, refused)
}

/** The results files a merge reads: each one read, or refused with why; none matching is an error. */
export interface ResultsFilesRead {
  files: ResultsFile[]
  refused: string[]
}

/** Reads every results file the globs match, each named as the globs found it; none is an error. */
export async function readResultsFiles(
  globs: string,
  cwd: string,
  input: string
): Promise<ResultsFilesRead> {
  const paths = await findFiles(globs, cwd)
  if (paths.length === 0) {
    throw new Error(
      `Invalid ${input} '${globs.trim()}': no file matches. Expected the shards' results files, ` +
        'such as downloaded with actions/download-artifact.'
    )
  }
  // Files are named as the globs found them, relative to the working directory.
  const names = paths.map(path => {
    const inside = relative(cwd, path)
    return inside.startsWith('..') || isAbsolute(inside) ? path : inside
  })
  const files: ResultsFile[] = []
  const refused: string[] = []
  const reads = await Promise.allSettled(
    paths.map((path, position) => readResultsFile(path, names[position]))
  )
  reads.forEach((read, position) => {
    if (read.status === 'fulfilled') {
      files.push({ path: names[position] as string, report: read.value })
    } else {
      refused.push(read.reason instanceof Error ? read.reason.message : String(read.reason))
    }
  })
  return { files, refused }
}

/**
 * One report from several results files: every record in input order, slots renumbered so each
 * shard's workers get rows of their own, wall time the longest shard's. Shards must come from one
 * split of one item list: the same items, the same number of shards and the same split, each shard
 * once, else nothing is merged. What can still be merged around is reported in `merged`, not
 * hidden: a missing shard, a file `refused` as invalid, records that do not match the split.
 */
export function mergeReports(
  files: readonly ResultsFile[],
  refused: readonly string[] = []
): RunReport {
  const ordered = [...files].sort(
    (a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0)
  )
  const first = ordered[0]?.report.shard
  const refusal = whyNotOneRun(ordered)
  if (refusal !== undefined) return nothingMerged(files, ordered, [refusal, ...refused])
  // Without a refusal, either every file is a shard (and `first` is set) or none is.
  const { records, problems, slotsPerFile, recordFiles } = mergeRecords(
    ordered,
    first === undefined
  )
  const missingShards = first === undefined ? [] : missingShardIndexes(ordered, first)
  const splitProblems = first === undefined ? [] : checkSplit(ordered, first)
  if (missingShards.length > 0 && first !== undefined) {
    splitProblems.unshift(missingShardsProblem(ordered, first, missingShards, refused.length > 0))
  }
  const counts = countStatuses(records)
  const run = mergedRun(ordered)
  // Items without a record (missing shards, missing or refused records) are items of the run.
  counts.total =
    first?.itemCount ?? ordered.reduce((sum, file) => sum + file.report.counts.total, 0)
  return {
    records,
    counts,
    durationMs: Math.max(0, ...ordered.map(file => file.report.durationMs)),
    workers: ordered.reduce((sum, file) => sum + file.report.workers, 0),
    shell: ordered[0]?.report.shell ?? '',
    haltReason: mergedHaltReason(ordered),
    // Per-shard halts differ; only a race won everywhere excuses its cancellations.
    haltKind: mergedHaltKind(ordered),
    // The latest attempt's: the merged report is of that attempt, whichever files it re-ran.
    ...(run === undefined ? {} : { run }),
    // Batch numbers stay as each file has them (a batch is known by its file and number).
    ...mergedBatchSize(ordered),
    // Shards that all were dry runs merge into one; any real shard makes the merge real.
    ...(ordered.length > 0 && ordered.every(file => file.report.dryRun === true)
      ? { dryRun: true as const }
      : {}),
    merged: {
      files: files.length,
      shards: first?.total ?? null,
      missingShards,
      problems: [...splitProblems, ...refused, ...problems],
      slotsPerFile,
      ...(recordFiles === undefined ? {} : { recordFiles })
    }
  }
}

/** The report of files that are not one run's: nothing merged, every item without a result. */
function nothingMerged(
  files: readonly ResultsFile[],
  ordered: readonly ResultsFile[],
  problems: string[]
): RunReport {
  const first = ordered[0]?.report.shard
  // Outputs and summary still say why: every item is without a result.
  return {
    records: [],
    counts: { ...countStatuses([]), total: first?.itemCount ?? 0 },
    durationMs: 0,
    workers: 0,
    shell: ordered[0]?.report.shell ?? '',
    haltReason: null,
    haltKind: null,
    merged: { files: files.length, shards: first?.total ?? null, missingShards: [], problems }
  }
}

/** The records a merge gives, and where they came from. */
interface MergedRecords {
  records: TaskRecord[]
  problems: string[]
  slotsPerFile: number[]
  /** The file each record came from, in record order, when some record has a batch. */
  recordFiles?: number[]
}

/**
 * The records the files can give, in input order, each file's worker slots after the previous
 * files' (`renumber`: unsharded runs of different item lists, numbered one after another), the
 * problems of each file's records, then those a merge's own file carries, how many slots each
 * file took and, when some record has a batch, the file of each record (batch numbers restart
 * per file, and a batch that never started has no slot to tell it).
 */
function mergeRecords(ordered: readonly ResultsFile[], renumber: boolean): MergedRecords {
  const problems: string[] = []
  const placed: { record: TaskRecord; file: number }[] = []
  const slotsPerFile: number[] = []
  let slotOffset = 0
  for (const file of ordered) {
    const checked = checkRecords(file)
    problems.push(...checked.problems, ...(file.report.merged?.problems ?? []))
    const fileOf = filesWithin(file.report)
    for (const record of checked.records) {
      placed.push({
        record: withSlotsAfter(record, slotOffset),
        file: slotsPerFile.length + fileOf(record)
      })
    }
    slotOffset += file.report.workers
    // A merged file's slots are its own files' slots.
    // One by one: a file's list may be longer than a call may take arguments.
    for (const slots of file.report.merged?.slotsPerFile ?? [file.report.workers]) {
      slotsPerFile.push(slots)
    }
  }
  placed.sort((a, b) => a.record.index - b.record.index)
  const records = placed.map(({ record }) => record)
  if (renumber) records.forEach((record, index) => (record.index = index))
  const batched = records.some(record => record.batch !== undefined)
  return {
    records,
    problems,
    slotsPerFile,
    ...(batched ? { recordFiles: placed.map(({ file }) => file) } : {})
  }
}

/** A record with its worker slots (`slot` and every one of `slots`) numbered `offset` later. */
function withSlotsAfter(record: TaskRecord, offset: number): TaskRecord {
  const moved = { ...record, slot: record.slot === null ? null : record.slot + offset }
  if (record.slots !== undefined) moved.slots = record.slots.map(slot => slot + offset)
  return moved
}

/**
 * Which of a results file's own files (from 0) each of its records came from: 0 in a run's file;
 * in a merge's, its `recordFiles`, or for a merge written before them the file of its slot (a
 * record that never ran then counts as its first file's).
 */
function filesWithin(report: RunReport): (record: TaskRecord) => number {
  if (report.merged === undefined) return () => 0
  const fileOf = mergedFileOf(report.merged, report.records, [report.workers])
  return record => fileOf(record) ?? 0
}

/** The files' batch-size when they all ran with the same one (the shards of one run do). */
function mergedBatchSize(files: readonly ResultsFile[]): Pick<RunReport, 'batchSize'> {
  const sizes = new Set(files.map(file => file.report.batchSize))
  const [size] = sizes
  return sizes.size === 1 && size !== undefined ? { batchSize: size } : {}
}

/** The shards of the split no file came from, in order. */
function missingShardIndexes(files: readonly ResultsFile[], first: ShardInfo): number[] {
  const seen = new Set(files.map(file => file.report.shard?.index))
  return Array.from({ length: first.total }, (_, index) => index).filter(index => !seen.has(index))
}

/** Every halted file's reason, each shard's named, or null when none halted. */
function mergedHaltReason(files: readonly ResultsFile[]): string | null {
  const halts = files
    .filter(file => file.report.haltReason !== null)
    .map(
      file =>
        (file.report.shard ? `shard ${file.report.shard.index}/${file.report.shard.total}: ` : '') +
        file.report.haltReason
    )
  return halts.length > 0 ? halts.join('; ') : null
}

/** Why shards have no result: no results file (or none valid) came from them. */
function missingShardsProblem(
  present: readonly ResultsFile[],
  first: ShardInfo,
  missing: readonly number[],
  someRefused: boolean
): string {
  const lost =
    first.itemCount - present.reduce((sum, file) => sum + (file.report.shard?.items.length ?? 0), 0)
  return (
    `${count(missing.length)} of ${counted(first.total, 'shard')} ${missing.length === 1 ? 'has' : 'have'} ` +
    `no ${someRefused ? 'valid ' : ''}results file ` +
    `(${missing.map(index => `${index}/${first.total}`).join(', ')}): ` +
    `their ${counted(lost, 'item has', 'items have')} no result here. Re-run those shards.`
  )
}

/**
 * The halt kind all halted files share, else none. A file's halt excuses only its own
 * cancellations: a file with cancelled records and no halt of its own leaves the merge without
 * one, so a race won in another file cannot excuse them.
 */
function mergedHaltKind(files: readonly ResultsFile[]): HaltKind | null {
  const unexplained = files.some(
    file =>
      file.report.haltReason === null &&
      file.report.records.some(record => record.status === TaskStatus.Cancelled)
  )
  const halted = files.filter(file => file.report.haltReason !== null)
  const kinds = new Set(halted.map(file => file.report.haltKind))
  return kinds.size === 1 && !unexplained ? (halted[0]?.report.haltKind ?? null) : null
}

/** The log line that says what was merged. */
export function describeMerge(report: RunReport): string {
  const merged = report.merged as MergeInfo
  const from = merged.shards === null ? '' : ` of ${counted(merged.shards, 'shard')}`
  const missing = report.counts.total - report.records.length
  const without =
    missing === 0
      ? ''
      : `; ${count(missing)} of ${counted(report.counts.total, 'item')} without one`
  return `Merged ${counted(merged.files, 'results file')}${from}: ${counted(report.records.length, 'result')}${without}.`
}

/** How many problems the step's failure message names before pointing to the summary. */
const PROBLEMS_IN_MESSAGE = 5

/**
 * Why a merge is incomplete or not to be trusted, or undefined: shards without a results file,
 * invalid files and records that do not match the split leave items without a result.
 */
export function mergeProblemsMessage(report: RunReport): string | undefined {
  const problems = report.merged?.problems ?? []
  if (problems.length === 0) return undefined
  const more = problems.length - PROBLEMS_IN_MESSAGE
  return (
    problems.slice(0, PROBLEMS_IN_MESSAGE).join(' ') +
    (more > 0 ? ` And ${counted(more, 'more problem')}: see the job summary.` : '')
  )
}
