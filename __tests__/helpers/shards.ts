import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ResultsFile } from '../../src/report/merge-checks.js'
import { type RunReport } from '../../src/model/run-report.js'
import { writeResultsFile } from '../../src/results/results-file.js'
import { itemsDigest, splitDigest } from '../../src/plan/shard.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from './records.js'

// Shards of one small run, and their results files, for the merge's tests.

/** Six items dealt round-robin over three shards: shard i has items i and i + 3. */
export const ITEMS = Array.from({ length: 6 }, (_, index) => `item-${index}`)

/** Shard `index` of that split, as its run records it; `extra` overrides fields. */
export const shardInfo = (index: number, extra: Partial<ShardInfo> = {}): ShardInfo => ({
  index,
  total: 3,
  itemCount: 6,
  itemsDigest: itemsDigest(ITEMS),
  splitDigest: splitDigest(ITEMS.map((_, item) => item % 3)),
  byTimings: false,
  estimatedMs: 0,
  estimatedTotalMs: 0,
  items: [index, index + 3].map(item => ({ index: item, item: ITEMS[item] as string })),
  ...extra
})

/** Writes a shard's results file the way a run does; returns its path. */
export async function shardFile(
  root: string,
  index: number,
  runReport: RunReport
): Promise<string> {
  return writeResultsFile(join(root, `shard-${index}`), runReport)
}

/** Rewrites a results file's records as `edit` says, keeping its counts true to them. */
export function editRecords(path: string, edit: (results: unknown[]) => unknown[]): void {
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    counts: Record<string, number>
    results: { status: string }[]
  }
  file.results = edit(file.results) as { status: string }[]
  file.counts.total = file.results.length
  file.counts.succeeded = file.results.filter(result => result.status === 'success').length
  file.counts.failed = file.results.filter(result => result.status === 'failure').length
  writeFileSync(path, JSON.stringify(file))
}

/** Shard `index`'s report: both its items succeed, but for item 4 (on shard 1), which fails. */
export const shardReport = (index: number, extra: Partial<RunReport> = {}): RunReport =>
  report(
    [
      record(index, `item-${index}`, TaskStatus.Success, { slot: 1 }),
      record(
        index + 3,
        `item-${index + 3}`,
        index === 1 ? TaskStatus.Failure : TaskStatus.Success,
        {
          slot: 2,
          outputs: { k: 'v' }
        }
      )
    ],
    { shard: shardInfo(index), durationMs: 1000 * (index + 1), ...extra }
  )

/** A results file as read, without writing it. */
export const readFile = (path: string, runReport: RunReport): ResultsFile => ({
  path,
  report: runReport
})
