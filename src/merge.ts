import { readFile } from 'node:fs/promises'
import { HaltKind } from './executor.js'
import { findFiles } from './glob.js'
import { type Item } from './item.js'
import { countStatuses, type MergeInfo, type RunReport } from './results.js'
import { type ShardInfo } from './shard.js'
import { type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'

/** One results file as a shard (or any run) wrote it. */
export interface ResultsFile {
  path: string
  shard: ShardInfo | undefined
  durationMs: number
  workers: number
  shell: string
  haltReason: string | null
  haltKind: HaltKind | null
  records: TaskRecord[]
}

const STATUSES = new Set<string>(Object.values(TaskStatus))
const HALT_KINDS = new Set<string>(Object.values(HaltKind))

/** Reads a `results-file`, refusing one that is not a parallel-exec results file. */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  const fail = (problem: string): never => {
    throw new Error(
      `Invalid results file '${path}': ${problem}. Expected a results-file written by parallel-exec.`
    )
  }
  let data: Record<string, unknown>
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
  } catch (error) {
    return fail(error instanceof SyntaxError ? 'not JSON' : `cannot be read (${String(error)})`)
  }
  if (data === null || typeof data !== 'object' || !Array.isArray(data.results)) {
    return fail('it has no results array')
  }
  const records = (data.results as unknown[]).map((value, position): TaskRecord => {
    const result = (value ?? {}) as Record<string, unknown>
    const index = result.index
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      return fail(`result ${position + 1} has no valid index`)
    }
    if (typeof result.status !== 'string' || !STATUSES.has(result.status)) {
      return fail(`result ${position + 1} has no valid status`)
    }
    if (!('item' in result)) return fail(`result ${position + 1} has no item`)
    return {
      index,
      item: result.item as Item,
      status: result.status as TaskStatus,
      exitCode: numberOrNull(result.exitCode),
      signal: typeof result.signal === 'string' ? result.signal : null,
      durationMs: numberOrNull(result.durationMs) ?? 0,
      attempts: numberOrNull(result.attempts) ?? 0,
      command: typeof result.command === 'string' ? result.command : '',
      slot: numberOrNull(result.slot),
      startedAt: epochOrNull(result.startedAt),
      endedAt: epochOrNull(result.endedAt),
      outputTail: typeof result.outputTail === 'string' ? result.outputTail : '',
      error: typeof result.error === 'string' ? result.error : null,
      outputs: isStringRecord(result.outputs) ? result.outputs : {},
      summary: typeof result.summary === 'string' ? result.summary : '',
      ...(Array.isArray(result.needs) ? { needs: result.needs.map(String) } : {}),
      ...(typeof result.skipReason === 'string' ? { skipReason: result.skipReason } : {})
    }
  })
  return {
    path,
    shard:
      data.shard === undefined || data.shard === null ? undefined : shardInfoOf(data.shard, fail),
    durationMs: numberOrNull(data.durationMs) ?? 0,
    workers: numberOrNull(data.workers) ?? 0,
    shell: typeof data.shell === 'string' ? data.shell : '',
    haltReason: typeof data.haltReason === 'string' ? data.haltReason : null,
    haltKind: HALT_KINDS.has(data.haltKind as string) ? (data.haltKind as HaltKind) : null,
    records
  }
}

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
  return mergeReports(await Promise.all(paths.map(readResultsFile)))
}

/**
 * One report from several results files: every record in input order, slots renumbered so each
 * shard's workers get rows of their own, wall time the longest shard's. Shards must come from one
 * split of one item list: the same items, the same number of shards and the same split, each shard
 * once; a missing shard is reported in `merged.missingShards`, not hidden.
 */
export function mergeReports(files: readonly ResultsFile[]): RunReport {
  const sharded = files.filter(file => file.shard !== undefined)
  if (sharded.length > 0 && sharded.length < files.length) {
    const plain = files.find(file => file.shard === undefined) as ResultsFile
    throw new Error(
      `Invalid merge-results: '${plain.path}' comes from a run without shard, the others from ` +
        'sharded runs. Expected the results files of the shards of one run.'
    )
  }
  const ordered = [...files].sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0))
  const first = ordered[0]?.shard
  const seen = new Map<number, string>()
  for (const file of sharded) {
    const shard = file.shard as ShardInfo
    const other = ordered[0] as ResultsFile
    if (
      shard.total !== first?.total ||
      shard.itemCount !== first.itemCount ||
      shard.itemsDigest !== first.itemsDigest
    ) {
      throw new Error(
        `Invalid merge-results: '${file.path}' and '${other.path}' come from different runs ` +
          '(other items or another number of shards). Expected the results files of the shards of one run.'
      )
    }
    if (shard.splitDigest !== first.splitDigest) {
      throw new Error(
        `Invalid merge-results: '${file.path}' and '${other.path}' split the items differently, so ` +
          'some items ran twice or not at all. Expected every shard to read the same timings file.'
      )
    }
    const twin = seen.get(shard.index)
    if (twin !== undefined) {
      throw new Error(
        `Invalid merge-results: shard ${shard.index}/${shard.total} appears twice, in '${twin}' and ` +
          `'${file.path}'. Expected one results file per shard.`
      )
    }
    seen.set(shard.index, file.path)
  }

  const records: TaskRecord[] = []
  let slotOffset = 0
  for (const file of ordered) {
    for (const record of file.records) {
      records.push({ ...record, slot: record.slot === null ? null : record.slot + slotOffset })
    }
    slotOffset += file.workers
  }
  records.sort((a, b) => a.index - b.index)
  if (sharded.length === 0) {
    // Unsharded runs of different item lists: number them one after another.
    records.forEach((record, index) => (record.index = index))
  }
  for (const record of records) {
    if (first !== undefined && record.index >= first.itemCount) {
      throw new Error(
        `Invalid merge-results: a result has index ${record.index}, beyond the run's ${first.itemCount} items. ` +
          'Expected the results files of the shards of one run.'
      )
    }
  }
  const halted = ordered.filter(file => file.haltReason !== null)
  const halts = halted.map(
    file => (file.shard ? `shard ${file.shard.index}/${file.shard.total}: ` : '') + file.haltReason
  )
  const missingShards =
    first === undefined
      ? []
      : Array.from({ length: first.total }, (_, index) => index).filter(index => !seen.has(index))
  const counts = countStatuses(records)
  // Items of a missing shard have no record, but they are items of the run: count them.
  if (first !== undefined) counts.total = first.itemCount
  return {
    records,
    counts,
    durationMs: Math.max(0, ...ordered.map(file => file.durationMs)),
    workers: ordered.reduce((sum, file) => sum + file.workers, 0),
    shell: ordered[0]?.shell ?? '',
    haltReason: halts.length > 0 ? halts.join('; ') : null,
    // Per-shard halts differ; only a race won everywhere excuses its cancellations.
    haltKind: mergedHaltKind(halted),
    merged: { files: files.length, shards: first?.total ?? null, missingShards }
  }
}

/** The halt kind all halted shards share (a race won everywhere excuses its cancellations), else none. */
function mergedHaltKind(halted: readonly ResultsFile[]): HaltKind | null {
  const kinds = new Set(halted.map(file => file.haltKind))
  return kinds.size === 1 ? (halted[0]?.haltKind ?? null) : null
}

function shardInfoOf(value: unknown, fail: (problem: string) => never): ShardInfo {
  const shard = (value ?? {}) as Record<string, unknown>
  const whole = (key: string): boolean =>
    typeof shard[key] === 'number' &&
    Number.isSafeInteger(shard[key]) &&
    (shard[key] as number) >= 0
  const valid =
    whole('index') &&
    whole('total') &&
    whole('itemCount') &&
    typeof shard.itemsDigest === 'string' &&
    typeof shard.splitDigest === 'string' &&
    (shard.index as number) < (shard.total as number)
  if (!valid) fail('its shard record is incomplete')
  return shard as unknown as ShardInfo
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function epochOrNull(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every(entry => typeof entry === 'string')
  )
}

/** The log line that says what was merged. */
export function describeMerge(report: RunReport): string {
  const merged = report.merged as MergeInfo
  const from = merged.shards === null ? '' : ` of ${merged.shards} shards`
  return `Merged ${merged.files} results files${from}: ${report.counts.total} results.`
}

/** Why a merge is incomplete: shards without a results file leave their items without a result. */
export function missingShardsMessage(report: RunReport): string | undefined {
  const missing = report.merged?.missingShards ?? []
  if (missing.length === 0) return undefined
  const total = report.merged?.shards ?? 0
  const lost = report.counts.total - report.records.length
  return (
    `${missing.length} of ${total} shards have no results file (${missing.map(index => `${index}/${total}`).join(', ')}): ` +
    `their ${lost} ${lost === 1 ? 'item has' : 'items have'} no result here. Re-run those shards.`
  )
}
