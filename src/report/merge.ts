import { isAbsolute, relative } from 'node:path'
import { type HaltKind } from '../model/halt.js'
import { findFiles } from '../system/glob.js'
import { checkRecords, checkSplit, type ResultsFile } from './merge-checks.js'
import { countStatuses, type MergeInfo, type RunReport } from '../model/run-report.js'
import { readResultsFile } from '../results/results-file.js'
import { type ShardInfo } from '../model/shard.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** Reads and merges every results file the globs match; none matching is an error. */
export async function mergeResultsFiles(
  globs: string,
  cwd: string,
  input: string
): Promise<RunReport> {
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
  return mergeReports(files, refused)
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
  const shardOf = (file: ResultsFile): ShardInfo | undefined => file.report.shard
  const sharded = files.filter(file => shardOf(file) !== undefined)
  const ordered = [...files].sort((a, b) => (shardOf(a)?.index ?? 0) - (shardOf(b)?.index ?? 0))
  const first = ordered[0] && shardOf(ordered[0])
  const refusal = whyNotOneRun(ordered)
  if (refusal !== undefined) {
    // Nothing to merge, yet outputs and summary still say why: every item is without a result.
    return {
      records: [],
      counts: { ...countStatuses([]), total: first?.itemCount ?? 0 },
      durationMs: 0,
      workers: 0,
      shell: ordered[0]?.report.shell ?? '',
      haltReason: null,
      haltKind: null,
      merged: {
        files: files.length,
        shards: first?.total ?? null,
        missingShards: [],
        problems: [refusal, ...refused]
      }
    }
  }
  const seen = new Set(sharded.map(file => (shardOf(file) as ShardInfo).index))

  const problems = [...refused]
  const records: TaskRecord[] = []
  let slotOffset = 0
  for (const file of ordered) {
    const checked = checkRecords(file)
    problems.push(...checked.problems, ...(file.report.merged?.problems ?? []))
    for (const record of checked.records) {
      records.push({ ...record, slot: record.slot === null ? null : record.slot + slotOffset })
    }
    slotOffset += file.report.workers
  }
  if (first !== undefined) problems.unshift(...checkSplit(ordered, first))
  records.sort((a, b) => a.index - b.index)
  if (sharded.length === 0) {
    // Unsharded runs of different item lists: number them one after another.
    records.forEach((record, index) => (record.index = index))
  }
  const halted = ordered.filter(file => file.report.haltReason !== null)
  const halts = halted.map(
    file =>
      (file.report.shard ? `shard ${file.report.shard.index}/${file.report.shard.total}: ` : '') +
      file.report.haltReason
  )
  const missingShards =
    first === undefined
      ? []
      : Array.from({ length: first.total }, (_, index) => index).filter(index => !seen.has(index))
  if (missingShards.length > 0 && first !== undefined) {
    problems.unshift(missingShardsProblem(ordered, first, missingShards, refused.length > 0))
  }
  const counts = countStatuses(records)
  // Items without a record (missing shards, missing or refused records) are items of the run.
  counts.total =
    first?.itemCount ?? ordered.reduce((sum, file) => sum + file.report.counts.total, 0)
  return {
    records,
    counts,
    durationMs: Math.max(0, ...ordered.map(file => file.report.durationMs)),
    workers: ordered.reduce((sum, file) => sum + file.report.workers, 0),
    shell: ordered[0]?.report.shell ?? '',
    haltReason: halts.length > 0 ? halts.join('; ') : null,
    // Per-shard halts differ; only a race won everywhere excuses its cancellations.
    haltKind: mergedHaltKind(ordered),
    merged: { files: files.length, shards: first?.total ?? null, missingShards, problems }
  }
}

/**
 * Why the files cannot be merged at all, or undefined: they must be the shards of one split of
 * one item list (the same items, the same number of shards and the same split, each shard once),
 * or all come from runs without shard.
 */
function whyNotOneRun(ordered: readonly ResultsFile[]): string | undefined {
  const first = ordered[0]
  const plain = ordered.find(file => file.report.shard === undefined)
  if (first === undefined || first.report.shard === undefined) {
    const shardedOne = ordered.find(file => file.report.shard !== undefined)
    return shardedOne === undefined ? undefined : mixed(plain as ResultsFile)
  }
  if (plain !== undefined) return mixed(plain)
  const { total, itemCount, itemsDigest, splitDigest } = first.report.shard
  const seen = new Map<number, string>()
  for (const file of ordered) {
    const shard = file.report.shard as ShardInfo
    if (
      shard.total !== total ||
      shard.itemCount !== itemCount ||
      shard.itemsDigest !== itemsDigest
    ) {
      return (
        `Invalid merge-results: '${file.path}' and '${first.path}' come from different runs ` +
        '(other items or another number of shards). Expected the results files of the shards of one run.'
      )
    }
    if (shard.splitDigest !== splitDigest) {
      return (
        `Invalid merge-results: '${file.path}' and '${first.path}' split the items differently, so ` +
        'some items ran twice or not at all. Expected every shard to read the same timings file.'
      )
    }
    const twin = seen.get(shard.index)
    if (twin !== undefined) {
      return (
        `Invalid merge-results: shard ${shard.index}/${shard.total} appears twice, in '${twin}' and ` +
        `'${file.path}'. Expected one results file per shard.`
      )
    }
    seen.set(shard.index, file.path)
  }
  return undefined
}

/** The refusal of a merge of sharded and unsharded runs' files. */
function mixed(plain: ResultsFile): string {
  return (
    `Invalid merge-results: '${plain.path}' comes from a run without shard, the others from ` +
    'sharded runs. Expected the results files of the shards of one run.'
  )
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
    `${missing.length} of ${first.total} shards have no ${someRefused ? 'valid ' : ''}results file ` +
    `(${missing.map(index => `${index}/${first.total}`).join(', ')}): ` +
    `their ${lost} ${lost === 1 ? 'item has' : 'items have'} no result here. Re-run those shards.`
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
  const from = merged.shards === null ? '' : ` of ${merged.shards} shards`
  return `Merged ${merged.files} results files${from}: ${report.counts.total} results.`
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
    (more > 0
      ? ` And ${more} more ${more === 1 ? 'problem' : 'problems'}: see the job summary.`
      : '')
  )
}
